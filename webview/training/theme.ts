// Chart colours and fonts read from the CSS variables VS Code sets in the webview, and a watcher
// for theme switches (VS Code swaps the body class vscode-light / -dark / -high-contrast).

export interface ChartTheme {
  readonly foreground: string;
  readonly muted: string;
  readonly grid: string;
  readonly font: string;
  /** Line width in CSS pixels: thicker in high-contrast themes. */
  readonly lineWidth: number;
  readonly colors: {
    readonly train: string;
    readonly val: string;
    readonly accuracy: string;
    readonly f1: string;
    readonly learningRate: string;
    readonly gradNorm: string;
    readonly throughput: string;
  };
  /** One colour per compared run, in legend order (the panel's own run first). */
  readonly runs: readonly string[];
}

function cssVar(style: CSSStyleDeclaration, name: string, fallback: string): string {
  const value = style.getPropertyValue(name).trim();
  return value === '' ? fallback : value;
}

/** `color` without its alpha channel: rgba()/hsla() and #rgba/#rrggbbaa forms; others as given. */
export function opaque(color: string): string {
  const fn = /^(rgb|hsl)a?\(\s*([^,\s/]+)[,\s]+([^,\s/]+)[,\s]+([^,\s/)]+)/i.exec(color);
  if (fn !== null) return `${fn[1]!.toLowerCase()}(${fn[2]!}, ${fn[3]!}, ${fn[4]!})`;
  const hex = /^#([0-9a-f]{3}|[0-9a-f]{6})[0-9a-f]{1,2}$/i.exec(color);
  if (hex !== null && (color.length === 5 || color.length === 9)) return `#${hex[1]!}`;
  return color;
}

export function readTheme(): ChartTheme {
  const style = getComputedStyle(document.body);
  const highContrast = document.body.classList.contains('vscode-high-contrast') || document.body.classList.contains('vscode-high-contrast-light');
  const fontSize = cssVar(style, '--vscode-font-size', '12px').replace(/^(\d+(\.\d+)?)$/, '$1px');
  const fontFamily = cssVar(style, '--vscode-font-family', 'system-ui, sans-serif');
  // Opaque: some themes define chart colours with alpha (Dark Modern's charts.orange is
  // rgba(234, 92, 0, 0.33)), which makes a 2px line all but invisible.
  const chart = (name: string, fallback: string): string => opaque(cssVar(style, `--vscode-charts-${name}`, fallback));
  const [blue, orange, green, purple, red, yellow] = [
    chart('blue', '#3794ff'), chart('orange', '#d18616'), chart('green', '#89d185'),
    chart('purple', '#b180d7'), chart('red', '#f14c4c'), chart('yellow', '#cca700'),
  ];
  return {
    foreground: cssVar(style, '--vscode-editor-foreground', '#cccccc'),
    muted: cssVar(style, '--vscode-descriptionForeground', '#999999'),
    // A faint grid: the widget border where the theme has one, else a neutral translucent grey.
    grid: cssVar(style, '--vscode-editorWidget-border', 'rgba(128, 128, 128, 0.25)'),
    font: `${fontSize} ${fontFamily}`,
    lineWidth: highContrast ? 2.5 : 1.5,
    colors: {
      train: blue,
      val: orange,
      accuracy: green,
      f1: purple,
      learningRate: yellow,
      gradNorm: red,
      throughput: blue,
    },
    runs: [blue, orange, green, purple, red, yellow],
  };
}

/** Calls `onChange` with the new theme whenever VS Code switches themes; returns a stopper. */
export function watchTheme(onChange: (theme: ChartTheme) => void): () => void {
  let last = JSON.stringify(readTheme());
  const observer = new MutationObserver(() => {
    const theme = readTheme();
    const key = JSON.stringify(theme);
    if (key === last) return;
    last = key;
    onChange(theme);
  });
  // VS Code marks the theme kind with a class on <body> (vscode-light / -dark / -high-contrast)
  // and sets the variables on <html>'s style, which also changes between two themes of one kind.
  observer.observe(document.body, { attributes: true, attributeFilter: ['class'] });
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ['style'] });
  return () => observer.disconnect();
}
