// Reading what a panel drew: the colours on a canvas (a drawn heat map has several, an empty one
// one) and the trimmed texts of a set of elements.
import type { Locator } from 'playwright-core';

/** The part of a canvas element this test reads (test/ compiles without the DOM library). */
interface CanvasElement {
  readonly width: number;
  readonly height: number;
  getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { readonly data: ArrayLike<number> } } | null;
}

/** How many distinct colours a canvas shows: a drawn heat map has several, an empty one one. */
export function distinctColours(canvas: Locator): Promise<number> {
  return canvas.evaluate((c: CanvasElement) => {
    const ctx = c.getContext('2d');
    if (ctx === null || c.width === 0 || c.height === 0) return 0;
    const data = ctx.getImageData(0, 0, c.width, c.height).data;
    const seen = new Set<number>();
    for (let i = 0; i < data.length; i += 4) seen.add((data[i]! << 16) | (data[i + 1]! << 8) | data[i + 2]!);
    return seen.size;
  });
}

/** The trimmed text of every element matching `selector` inside `scope` (a frame or an element). */
export async function texts(scope: { locator(selector: string): Locator }, selector: string): Promise<string[]> {
  return (await scope.locator(selector).allTextContents()).map((t) => t.trim());
}
