/**
 * A model's weights as tf.Variables keyed by their Hugging Face tensor names. Linear weights are
 * held [in, out] (HF stores them [out, in]); `hfLayout` records which ones to transpose at the
 * checkpoint boundary so the engine's forward products need no transpose.
 */
import { tf, type Tensor, type Variable } from '../backend/tf';
import { createRng } from '../random';

export type Init = 'normal' | 'zeros' | 'ones';

export interface ParamSpec {
  /** Hugging Face tensor name, e.g. "bert.encoder.layer.0.attention.self.query.weight". */
  readonly name: string;
  /** Shape as the engine holds it. */
  readonly shape: readonly number[];
  readonly init: Init;
  /** True for Linear weights: the checkpoint holds the transpose of the engine's tensor. */
  readonly transposedInCheckpoint: boolean;
  /** Standard deviation of a 'normal' init when the family prescribes its own (T5). */
  readonly std?: number;
}

/** Named float32 data as a checkpoint holds it (HF orientation). */
export interface NamedArray {
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

/**
 * An additive adapter on a linear layer (LoRA): y = x·W + b + adapter(x). Registered by module
 * name (the tensor name without ".weight"); `training` gates the adapter's own dropout.
 */
export interface LinearAdapter {
  apply(x: Tensor, training: boolean, nextSeed: () => number): Tensor;
}

let storeCounter = 0;

export class ParameterStore {
  private readonly vars = new Map<string, Variable>();
  private readonly specsByName = new Map<string, ParamSpec>();
  private readonly adapters = new Map<string, LinearAdapter>();
  /** tfjs variable names are global per engine; a per-store prefix keeps stores apart. */
  private readonly prefix = `m${++storeCounter}/`;
  /** Transposes kept while a hold is open (see holdTransposes), with the storage they were made from. */
  private readonly keptTransposes = new Map<string, { readonly source: object; readonly value: Tensor }>();
  private transposeHolds = 0;

  constructor(readonly specs: readonly ParamSpec[]) {
    for (const s of specs) this.specsByName.set(s.name, s);
  }

  /**
   * HF-style initialisation: normal(0, std) for weights, zeros for biases, ones for norms.
   * `only` limits it to some tensors (those a checkpoint did not provide).
   */
  initialize(std: number, seed: number, only?: ReadonlySet<string>): void {
    const rng = createRng(seed);
    for (const s of this.specs) {
      if (only !== undefined && !only.has(s.name)) continue;
      const size = s.shape.reduce((a, b) => a * b, 1);
      const data = new Float32Array(size);
      const sd = s.std ?? std;
      if (s.init === 'normal') for (let i = 0; i < size; i++) data[i] = rng.normal() * sd;
      else if (s.init === 'ones') data.fill(1);
      this.set(s.name, tf.tensor(data, [...s.shape], 'float32'));
    }
  }

  private set(name: string, value: Tensor): void {
    this.vars.get(name)?.dispose();
    this.vars.set(name, tf.variable(value, true, this.prefix + name));
    value.dispose();
  }

  get(name: string): Variable {
    const v = this.vars.get(name);
    if (v === undefined) throw new Error(`model has no parameter "${name}"`);
    return v;
  }

  /**
   * The transpose [in, out] → [out, in] of weight `name`. While a hold is open it is made once and
   * kept until the weight changes (every assignment gives a variable new storage, so comparing
   * the storage is the invalidation); without one it is a fresh tensor the caller's tidy frees.
   * Decoding calls the tied LM head once per token: a kept [E, V] transpose saves the transpose
   * and lets the wasm matmul keep its packed copy of the weights across tokens.
   */
  transposeOf(name: string): Tensor {
    const v = this.get(name);
    const kept = this.keptTransposes.get(name);
    if (kept !== undefined && kept.source === v.dataId) return kept.value;
    if (kept !== undefined) {
      kept.value.dispose();
      this.keptTransposes.delete(name);
    }
    const t = tf.transpose(v);
    if (this.transposeHolds > 0) this.keptTransposes.set(name, { source: v.dataId, value: tf.keep(t) });
    return t;
  }

  /**
   * Opens a hold: transposes made by transposeOf are kept until every hold is released (holds
   * nest, so interleaved generations share them). Returns the release function.
   */
  holdTransposes(): () => void {
    this.transposeHolds += 1;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.transposeHolds -= 1;
      if (this.transposeHolds === 0) this.dropTransposes();
    };
  }

  private dropTransposes(): void {
    for (const kept of this.keptTransposes.values()) kept.value.dispose();
    this.keptTransposes.clear();
  }

  /** The adapter on linear module `name` (e.g. "bert.encoder.layer.0.attention.self.query"). */
  adapter(name: string): LinearAdapter | undefined {
    return this.adapters.get(name);
  }

  setAdapter(name: string, adapter: LinearAdapter | null): void {
    if (adapter === null) this.adapters.delete(name);
    else this.adapters.set(name, adapter);
  }

  /** Names of linear modules (weights held [in, out] whose checkpoint form is transposed, or Conv1D). */
  linearModules(): string[] {
    return this.specs.filter((s) => s.name.endsWith('.weight') && s.shape.length === 2 && !/embed|wte|wpe|shared|relative_attention_bias/.test(s.name)).map((s) => s.name.slice(0, -'.weight'.length));
  }

  has(name: string): boolean {
    return this.vars.has(name);
  }

  spec(name: string): ParamSpec | undefined {
    return this.specsByName.get(name);
  }

  names(): string[] {
    return this.specs.map((s) => s.name);
  }

  variables(): Variable[] {
    return this.specs.map((s) => this.get(s.name));
  }

  parameterCount(): number {
    return this.specs.reduce((n, s) => n + s.shape.reduce((a, b) => a * b, 1), 0);
  }

  /** Loads one tensor given in checkpoint (HF) orientation. The caller validated the shape. */
  loadFromCheckpoint(name: string, array: NamedArray): void {
    const s = this.specsByName.get(name);
    if (s === undefined) throw new Error(`model has no parameter "${name}"`);
    const t = tf.tensor(array.data, [...array.shape], 'float32');
    if (s.transposedInCheckpoint) {
      this.set(name, tf.tidy(() => tf.transpose(t)));
      t.dispose();
    } else {
      this.set(name, t);
    }
  }

  /** The shape a checkpoint must hold for `name`. */
  checkpointShape(s: ParamSpec): number[] {
    return s.transposedInCheckpoint ? [...s.shape].reverse() : [...s.shape];
  }

  /** Every weight in checkpoint (HF) orientation, read asynchronously. */
  async toCheckpointArrays(): Promise<Map<string, NamedArray>> {
    const out = new Map<string, NamedArray>();
    for (const s of this.specs) {
      const v = this.get(s.name);
      const t = s.transposedInCheckpoint ? tf.transpose(v) : v;
      const data = (await t.data()) as Float32Array;
      if (t !== v) t.dispose();
      out.set(s.name, { shape: this.checkpointShape(s), data: new Float32Array(data) });
    }
    return out;
  }

  dispose(): void {
    this.dropTransposes();
    for (const v of this.vars.values()) v.dispose();
    this.vars.clear();
  }
}
