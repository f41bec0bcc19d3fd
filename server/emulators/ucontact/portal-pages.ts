/**
 * The browser side of the uContact emulator (docs/connectors/ucontact.md §8): two pages served from
 * the emulator's own origin, each a stand-in for uContact's, speaking the real wire:
 *
 *  - `/portal.html?crm=<CRM page URL>[&agent=agent1]` — the agent portal. It frames the CRM page
 *    (frame name `crm`) and talks to it through the real porthole.js 1.0 (npm `porthole-proxy`):
 *    it reads only messages from the CRM page's origin, forwards each action to the emulator
 *    (`POST /portal/action`) and posts the answer back with the CRM origin as target; events
 *    (`gettingCall`, `finishedCall` …) from the control API arrive over `GET /portal/events`
 *    (server-sent events) and go to the CRM frame through Porthole too.
 *  - `/uphone.html?host=<CRM page origin>[&agent=agent1]` — uPhone v6, meant to be framed by the
 *    CRM page: `{action:'makeCall', params}` from its parent (that origin only), events out to it
 *    as `{action, params}` with the parent's exact origin.
 *
 * Both keep what they received and sent in `window.received` / `window.sent` for tests.
 */

const PORTAL_SCRIPT = String.raw`
(function () {
  var params = new URLSearchParams(location.search);
  var crmUrl = params.get('crm');
  var agent = params.get('agent') || 'agent1';
  var crmOrigin = new URL(crmUrl).origin;
  window.received = [];
  window.sent = [];
  // HTML5 Porthole: the proxy URL is unused; 'crm' is the frame it talks to.
  var proxy = new Porthole.WindowProxy(null, 'crm');
  function post(data) {
    window.sent.push(data);
    proxy.post(data, crmOrigin);
  }
  proxy.addEventListener(function (event) {
    // Porthole itself accepts any origin: the portal checks it.
    if (event.origin !== crmOrigin) return;
    window.received.push({ data: event.data, origin: event.origin });
    fetch('/portal/action?agent=' + encodeURIComponent(agent), { method: 'POST', body: JSON.stringify(event.data) })
      .then(function (r) { return r.json(); })
      .then(function (answer) { if (answer && answer.reply) post(answer.reply); });
  });
  var events = new EventSource('/portal/events?agent=' + encodeURIComponent(agent));
  events.onmessage = function (e) { post(JSON.parse(e.data)); };
  events.onopen = function () { window.portalReady = true; };
  /** Tests: anything through Porthole, and anything around it. */
  window.portal = { post: post, postRaw: function (data) { window.frames.crm.postMessage(data, '*'); } };
  document.getElementById('crm').src = crmUrl;
})();
`;

const UPHONE_SCRIPT = String.raw`
(function () {
  var params = new URLSearchParams(location.search);
  var host = params.get('host');
  var agent = params.get('agent') || 'agent1';
  window.received = [];
  window.sent = [];
  function post(data) {
    window.sent.push(data);
    parent.postMessage(data, host);
  }
  window.addEventListener('message', function (e) {
    if (e.origin !== host || e.source !== parent) return;
    var data = e.data;
    if (!data || typeof data !== 'object' || typeof data.action !== 'string') return;
    window.received.push({ data: data, origin: e.origin });
    fetch('/portal/action?agent=' + encodeURIComponent(agent), { method: 'POST', body: JSON.stringify(data) });
  });
  var events = new EventSource('/portal/events?agent=' + encodeURIComponent(agent));
  events.onmessage = function (e) { post(JSON.parse(e.data)); };
  events.onopen = function () { window.portalReady = true; };
  window.uphone = { post: post, postRaw: function (data) { parent.postMessage(data, '*'); } };
})();
`;

export function portalPage(): string {
  return `<!doctype html>
<html>
  <head><meta charset="utf-8"><title>uContact portal (emulator)</title></head>
  <body>
    <h1>uContact portal (emulator)</h1>
    <iframe name="crm" id="crm" title="CRM" width="960" height="560"></iframe>
    <script src="/porthole.js"></script>
    <script>${PORTAL_SCRIPT}</script>
  </body>
</html>`;
}

export function uphonePage(): string {
  return `<!doctype html>
<html>
  <head><meta charset="utf-8"><title>uPhone (emulator)</title></head>
  <body>
    <p>uPhone (emulator)</p>
    <script>${UPHONE_SCRIPT}</script>
  </body>
</html>`;
}
