// The one DOM helper the Attention panel's modules share: an element with a class and text
// content (never innerHTML, so token strings stay text).

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, className: string, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}
