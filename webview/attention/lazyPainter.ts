// The model view's thumbnails are painted only once they scroll into view, a few per animation
// frame, so a model with many layers and heads opens (and a long input re-renders) without a stall.

/** Milliseconds of painting per animation frame, so clicks and scrolling stay smooth. */
const FRAME_BUDGET_MS = 8;

/** Paints registered canvases when they first become visible, within a per-frame time budget. */
export class LazyPainter {
  private readonly pending = new Map<Element, () => void>();
  private readonly ready: Element[] = [];
  private frame: number | undefined;
  private readonly observer = new IntersectionObserver((entries) => {
    for (const entry of entries) {
      if (!entry.isIntersecting) continue;
      this.observer.unobserve(entry.target);
      this.ready.push(entry.target);
    }
    this.schedule();
  });

  /** `paint` runs once, the first time `canvas` is on screen. */
  register(canvas: Element, paint: () => void): void {
    this.pending.set(canvas, paint);
    this.observer.observe(canvas);
  }

  /** Forgets every registered canvas (their grid is being replaced). */
  clear(): void {
    this.observer.disconnect();
    this.pending.clear();
    this.ready.length = 0;
  }

  private schedule(): void {
    if (this.frame !== undefined || this.ready.length === 0) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = undefined;
      const start = performance.now();
      while (this.ready.length > 0 && performance.now() - start < FRAME_BUDGET_MS) {
        const canvas = this.ready.shift()!;
        const paint = this.pending.get(canvas);
        this.pending.delete(canvas);
        paint?.();
      }
      this.schedule();
    });
  }
}
