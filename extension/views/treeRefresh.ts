// What a tree view must re-render after its data changed. Refreshing the root rebuilds every row
// and, for a moment, drops the view's elements: a right-click in that moment runs the menu's
// command without its element. So a view refreshes the root only when its shape changed (a group
// or an item came or went, or the order changed) and otherwise just the items whose rendering
// changed, which re-render in place.

/** A tree as rendered: group → item keys in order, and each item's rendering as a string. */
export interface TreeSnapshot {
  readonly groups: ReadonlyMap<string, readonly string[]>;
  readonly renderings: ReadonlyMap<string, string>;
}

/** `'root'` when the shape changed, else the keys of the items whose rendering changed (maybe none). */
export function treeRefresh(rendered: TreeSnapshot, current: TreeSnapshot): 'root' | string[] {
  if (!sameShape(rendered.groups, current.groups)) return 'root';
  const changed: string[] = [];
  for (const [key, rendering] of current.renderings) if (rendered.renderings.get(key) !== rendering) changed.push(key);
  return changed;
}

function sameShape(a: ReadonlyMap<string, readonly string[]>, b: ReadonlyMap<string, readonly string[]>): boolean {
  if (a.size !== b.size) return false;
  const [groupsA, groupsB] = [[...a.keys()], [...b.keys()]];
  if (groupsA.some((g, i) => g !== groupsB[i])) return false;
  return groupsA.every((g) => {
    const [x, y] = [a.get(g) ?? [], b.get(g) ?? []];
    return x.length === y.length && x.every((k, i) => k === y[i]);
  });
}
