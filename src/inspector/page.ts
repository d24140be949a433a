// The inspector's one HTML page: a shell the module script fills in. No inline script or style (the CSP forbids
// both), so every dynamic value reaches the DOM through textContent, never as HTML.
const HEAD = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>pictify-hooks inspector</title>
<link rel="stylesheet" href="/assets/inspector.css">`;

export function pageHtml(): string {
  return `${HEAD}
<script type="module" src="/assets/app.js"></script>
</head>
<body>
<header class="bar">
  <h1>pictify-hooks <span>inspector</span></h1>
  <span id="mode" class="mode"></span>
  <span id="live" class="live" title="live updates">connecting…</span>
  <span id="count" class="count"></span>
</header>
<section class="chart-wrap" aria-label="deliveries over time">
  <svg id="chart" class="chart" role="img" aria-label="Deliveries over time by verdict"></svg>
  <div class="legend">
    <span class="k-ok">✓ verified</span><span class="k-failed">✗ failed</span>
    <span class="k-duplicate">duplicate</span><span class="k-ignored">ignored</span>
    <span id="chart-range" class="range"></span>
  </div>
</section>
<section class="filters">
  <label>event <select id="f-event"><option value="">all events</option></select></label>
  <label>verdict <select id="f-verdict">
    <option value="">all verdicts</option><option value="ok">✓ verified</option><option value="failed">✗ failed</option>
    <option value="duplicate">duplicate</option><option value="ignored">ignored</option>
  </select></label>
  <label class="search">search <input id="f-search" type="search" placeholder="delivery id, event id or body text"
    autocomplete="off" spellcheck="false"></label>
  <span id="matching" class="matching"></span>
</section>
<main class="split">
  <section class="list-pane">
    <div class="row head" role="row">
      <span>time</span><span>event</span><span>delivery id</span><span>verdict</span>
      <span>status</span><span>forward</span><span>latency</span>
    </div>
    <div id="viewport" class="viewport" tabindex="0">
      <div id="spacer" class="spacer"></div><div id="rows" class="rows" role="rowgroup"></div>
    </div>
    <p id="empty" class="empty" hidden>No deliveries yet. Send one:
      <code>pictify-hooks send render.completed --url …</code></p>
  </section>
  <section id="detail" class="detail-pane" aria-live="polite">
    <p class="hint">Select a delivery to see its headers, body and signature.</p>
  </section>
</main>
</body>
</html>
`;
}

/** What a request without the right token gets: no data, no script, one sentence. */
export function refusedPageHtml(message: string): string {
  const text = message.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  return `${HEAD}
</head>
<body><main class="refused"><h1>pictify-hooks inspector</h1><p>${text}</p></main></body>
</html>
`;
}
