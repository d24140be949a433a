// The inspector's stylesheet, served as /assets/inspector.css (kept in TypeScript so the existing tsc build ships
// it with no copy step). Row height is fixed: the list is virtualised and positions rows by index.
import { ROW_HEIGHT_PX } from './web/layout.js';

export const STYLES = `
:root {
  --bg: #0f1115; --panel: #161a21; --line: #262c36; --text: #dde3ea; --dim: #8a94a3;
  --ok: #3fb950; --failed: #f85149; --duplicate: #d29922; --ignored: #8b949e; --accent: #58a6ff;
  --mono: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
  color-scheme: dark;
}
* { box-sizing: border-box; }
html, body { margin: 0; height: 100%; }
body {
  background: var(--bg); color: var(--text); font: 13px/1.4 system-ui, -apple-system, "Segoe UI", sans-serif;
  display: flex; flex-direction: column;
}
code, pre, .mono { font-family: var(--mono); font-size: 12px; }
.bar { display: flex; align-items: center; gap: 16px; padding: 8px 14px; border-bottom: 1px solid var(--line); }
.bar h1 { font-size: 15px; margin: 0; font-weight: 600; }
.bar h1 span { color: var(--dim); font-weight: 400; }
.mode { color: var(--dim); }
.live { color: var(--dim); }
.live.on { color: var(--ok); }
.count { margin-left: auto; color: var(--dim); }
.chart-wrap { padding: 6px 14px 0; }
.chart { width: 100%; height: 64px; display: block; }
.chart rect.ok { fill: var(--ok); } .chart rect.failed { fill: var(--failed); }
.chart rect.duplicate { fill: var(--duplicate); } .chart rect.ignored { fill: var(--ignored); }
.chart line { stroke: var(--line); }
.legend { display: flex; gap: 14px; color: var(--dim); font-size: 11px; padding: 2px 0 6px; }
.legend .range { margin-left: auto; }
.k-ok { color: var(--ok); } .k-failed { color: var(--failed); }
.k-duplicate { color: var(--duplicate); } .k-ignored { color: var(--ignored); }
.filters { display: flex; gap: 14px; align-items: center; padding: 6px 14px; border-top: 1px solid var(--line);
  border-bottom: 1px solid var(--line); color: var(--dim); }
.filters select, .filters input, .detail-pane input, .detail-pane select, .detail-pane textarea, button {
  background: var(--panel); color: var(--text); border: 1px solid var(--line); border-radius: 4px; padding: 3px 6px;
  font: inherit;
}
.filters .search input { width: 280px; }
.matching { margin-left: auto; }
button { cursor: pointer; }
button:hover { border-color: var(--accent); }
button:disabled { opacity: .5; cursor: default; }
.split { flex: 1; display: grid; grid-template-columns: minmax(600px, 1.3fr) minmax(380px, 1fr); min-height: 0; }
.list-pane { display: flex; flex-direction: column; min-height: 0; min-width: 0; overflow: hidden;
  border-right: 1px solid var(--line); }
.row { display: grid; grid-template-columns: 96px 128px minmax(120px, 1fr) 160px 44px 64px 60px; gap: 8px;
  align-items: center; height: ${ROW_HEIGHT_PX}px; padding: 0 10px; white-space: nowrap; }
.row > span { overflow: hidden; text-overflow: ellipsis; }
.row.head { color: var(--dim); border-bottom: 1px solid var(--line); font-size: 11px; text-transform: uppercase; }
.viewport { flex: 1; overflow-y: auto; position: relative; min-height: 200px; outline: none; }
.spacer { width: 1px; }
.rows { position: absolute; top: 0; left: 0; right: 0; }
.rows .row { position: absolute; left: 0; right: 0; cursor: pointer; border-bottom: 1px solid #1b2028;
  font-family: var(--mono); font-size: 12px; }
.rows .row:hover { background: #1a2030; }
.rows .row.selected { background: #1f2a3d; }
.v-ok { color: var(--ok); } .v-failed { color: var(--failed); }
.v-duplicate { color: var(--duplicate); } .v-ignored { color: var(--ignored); }
.replay-mark { color: var(--accent); }
.empty, .hint { color: var(--dim); padding: 14px; }
.detail-pane { overflow-y: auto; padding: 10px 16px 40px; min-height: 0; }
.detail-pane h2 { font-size: 14px; margin: 4px 0 2px; }
.detail-pane h3 { font-size: 12px; text-transform: uppercase; color: var(--dim); margin: 16px 0 6px;
  letter-spacing: .04em; }
.detail-pane .sub { color: var(--dim); }
.detail-pane table { border-collapse: collapse; width: 100%; }
.detail-pane td { padding: 2px 8px 2px 0; vertical-align: top; font-family: var(--mono); font-size: 12px;
  word-break: break-all; }
.detail-pane td:first-child { color: var(--dim); white-space: nowrap; width: 1%; word-break: normal; }
.detail-pane pre { background: var(--panel); border: 1px solid var(--line); border-radius: 4px; padding: 8px;
  margin: 0; max-height: 360px; overflow: auto; white-space: pre-wrap; word-break: break-all; }
.badge { display: inline-block; padding: 1px 8px; border-radius: 10px; font-weight: 600; }
.badge.ok { background: #12361c; color: var(--ok); } .badge.failed { background: #3d1717; color: var(--failed); }
.badge.duplicate { background: #3a2d0c; color: var(--duplicate); }
.badge.ignored { background: #23272e; color: var(--ignored); }
.findings { margin: 6px 0 0; padding-left: 18px; }
.findings li { margin: 3px 0; }
.findings code { color: var(--duplicate); }
.actions { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; }
.actions input[type=text] { width: 300px; }
.result { margin-top: 6px; font-family: var(--mono); font-size: 12px; }
.result.error { color: var(--failed); }
.editor { width: 100%; min-height: 240px; font-family: var(--mono); font-size: 12px; margin-top: 6px; }
.tabs { display: flex; gap: 6px; margin-bottom: 6px; }
.tabs button.on { border-color: var(--accent); color: var(--accent); }
.diff .added { color: var(--ok); } .diff .removed { color: var(--failed); } .diff .same { color: var(--dim); }
details summary { cursor: pointer; color: var(--accent); margin: 4px 0; }
.refused { max-width: 640px; margin: 80px auto; }
`;
