/**
 * One Trainer per phase over exactly that phase's trainable variables (frozen ones are never
 * handed to AdamW, so neither updates nor weight decay touch them). A 'continue' phase takes
 * over the previous phase's moments and step, so the schedule runs on; a 'fresh' phase starts a
 * new AdamW whose warmup/decay spans it and the 'continue' phases after it.
 */
import type { Variable } from '../../backend/tf';
import type { AdamWConfig, AdamWState } from '../../training/adamw';
import type { ScheduleKind } from '../../training/schedule';
import { Trainer } from '../../training/trainer';
import { phaseAt, type Phase } from '../strategies/phases';

export interface PhasedTrainerConfig {
  readonly totalSteps: number;
  readonly warmupRatio: number;
  readonly maxGradNorm: number;
  readonly schedule: ScheduleKind;
  readonly adamw: AdamWConfig;
}

export class PhasedTrainer {
  private current: { readonly index: number; readonly trainer: Trainer } | null = null;

  constructor(
    readonly phases: readonly Phase[],
    private readonly variable: (name: string) => Variable,
    private readonly lrScale: (name: string) => number,
    private readonly config: PhasedTrainerConfig,
  ) {}

  get phaseIndex(): number {
    return this.current?.index ?? 0;
  }

  /** The trainer for global step `step` (0-based, about to run), switching phase when it starts. */
  async trainerFor(step: number): Promise<Trainer> {
    const index = phaseAt(this.phases, step);
    if (this.current !== null && this.current.index === index) return this.current.trainer;
    const carried = this.current !== null && this.phases[index]?.optimizer === 'continue' ? await this.current.trainer.exportState() : null;
    this.replace(index, carried);
    return (this.current as unknown as { trainer: Trainer }).trainer;
  }

  /** Resumes phase `index` with a saved optimizer state. */
  restore(index: number, state: AdamWState): void {
    this.replace(index, state);
  }

  async exportState(): Promise<AdamWState> {
    if (this.current === null) return { step: 0, m: new Map(), v: new Map() };
    return this.current.trainer.exportState();
  }

  /** Variables trained in the current phase. */
  trainableNames(): readonly string[] {
    return this.phases[this.phaseIndex]?.trainable ?? [];
  }

  private replace(index: number, state: AdamWState | null): void {
    const phase = this.phases[index];
    if (phase === undefined) throw new Error(`no phase ${index}`);
    const params = phase.trainable.map((name) => ({ name, variable: this.variable(name), lrScale: this.lrScale(name) }));
    const trainer = new Trainer(params, this.trainerConfig(index));
    if (state !== null) trainer.importState(state);
    this.current?.trainer.dispose();
    this.current = { index, trainer };
  }

  /** The schedule of the chain of phases that starts with the last fresh phase at or before `index`. */
  private trainerConfig(index: number) {
    let origin = index;
    while (origin > 0 && this.phases[origin]?.optimizer === 'continue') origin--;
    const start = this.phases[origin]?.startStep ?? 0;
    const nextFresh = this.phases.find((p, i) => i > index && p.optimizer === 'fresh');
    const length = Math.max(1, (nextFresh?.startStep ?? this.config.totalSteps) - start);
    return {
      learningRate: this.phases[origin]?.learningRate ?? 0,
      warmupSteps: Math.round(length * this.config.warmupRatio),
      totalSteps: length,
      maxGradNorm: this.config.maxGradNorm,
      adamw: this.config.adamw,
      schedule: this.config.schedule,
    };
  }

  dispose(): void {
    this.current?.trainer.dispose();
    this.current = null;
  }
}
