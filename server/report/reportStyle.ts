/**
 * The stylesheet inlined into report.html and sweep.html: system fonts only, light and dark
 * through prefers-color-scheme; charts colour their series with the --s0…--s5 variables.
 * A TS module rather than a .css file so esbuild and tsx need no text loader.
 */
export const REPORT_CSS = `
:root { color-scheme: light dark; --bg: #ffffff; --fg: #1f2328; --muted: #59636e; --border: #d1d9e0; --panel: #f6f8fa;
  --accent-rgb: 9 105 218; --s0: #0969da; --s1: #cf222e; --s2: #1a7f37; --s3: #8250df; --s4: #bc4c00; --s5: #1b7c83;
  --ok: #1a7f37; --warning: #9a6700; --alert: #cf222e; }
@media (prefers-color-scheme: dark) {
  :root { --bg: #0d1117; --fg: #e6edf3; --muted: #9198a1; --border: #3d444d; --panel: #151b23;
    --accent-rgb: 68 147 248; --s0: #4493f8; --s1: #f85149; --s2: #3fb950; --s3: #ab7df8; --s4: #db6d28; --s5: #39c5cf;
    --ok: #3fb950; --warning: #d29922; --alert: #f85149; }
}
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 1120px; padding: 24px; background: var(--bg); color: var(--fg);
  font: 14px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
h1 { font-size: 22px; margin: 0 0 4px; word-break: break-all; }
h2 { font-size: 17px; margin: 28px 0 8px; padding-bottom: 4px; border-bottom: 1px solid var(--border); }
p, li { max-width: 80ch; }
.muted, figcaption .axis { color: var(--muted); }
code, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12.5px; }
.badge { display: inline-block; padding: 0 8px; border-radius: 10px; border: 1px solid currentColor; font-size: 12px; }
.state-completed, .level-ok { color: var(--ok); }
.state-cancelled, .state-interrupted, .level-warning { color: var(--warning); }
.state-failed, .level-alert { color: var(--alert); }
.message { padding: 8px 12px; border-left: 3px solid currentColor; background: var(--panel); }
table { border-collapse: collapse; margin: 4px 0 12px; }
th, td { padding: 3px 10px; border: 1px solid var(--border); text-align: left; vertical-align: top; }
th { background: var(--panel); font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.kv th { width: 14em; }
.kv td { word-break: break-word; }
table.confusion td { text-align: right; min-width: 3.5em; background: rgb(var(--accent-rgb) / calc(var(--v, 0) * 0.75)); }
table.confusion td.diag { font-weight: 700; }
.grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(480px, 1fr)); gap: 16px 24px; }
figure { margin: 0; max-width: 720px; }
a { color: rgb(var(--accent-rgb)); }
figcaption { font-weight: 600; margin-bottom: 2px; }
svg { width: 100%; height: auto; overflow: visible; font-size: 11px; }
svg text { fill: var(--muted); }
svg .frame { fill: none; stroke: var(--border); }
svg .gridline { stroke: var(--border); stroke-dasharray: 2 3; }
svg .line { fill: none; stroke-width: 1.6; stroke-linejoin: round; }
svg .dashed { stroke-dasharray: 6 4; }
svg .ref { stroke: var(--muted); stroke-dasharray: 4 3; stroke-width: 1.2; }
svg .heat { fill: rgb(var(--accent-rgb)); }
svg .bar { fill: rgb(var(--accent-rgb) / 0.75); }
${[0, 1, 2, 3, 4, 5].map((i) => `.c${i} { stroke: var(--s${i}); fill: var(--s${i}); color: var(--s${i}); }`).join('\n')}
.legend { list-style: none; padding: 0; margin: 2px 0 0; display: flex; flex-wrap: wrap; gap: 4px 14px; color: var(--muted); font-size: 12px; }
.legend .swatch { display: inline-block; width: 14px; height: 3px; vertical-align: middle; margin-right: 5px; background: currentColor; }
.legend .swatch.dashed { background: none; border-top: 2px dashed currentColor; height: 0; }
.legend li > span.label { color: var(--muted); }
`;
