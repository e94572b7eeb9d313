/* What every live page shares: the CSRF token, JSON API calls, server-rendered fragments and
 * the reconnecting stream. Loaded before the page's own script (base.html), and by the shared
 * worker of me.js (importScripts), so nothing here touches the page until it is called.
 *
 * Pages work without JavaScript; these helpers only enhance them. HTML given to `fragment`
 * comes from the server (escaped there): nothing here builds markup from user text.
 */
(function (global) {
  "use strict";

  /* The token Django checks on writes: its cookie, or the page's form field when the cookie
   * is not readable. */
  function csrfToken() {
    const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (match) return decodeURIComponent(match[1]);
    const input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  /* A call to the JSON API as the signed-in person: { ok, status, data }, data null when the
   * answer has no JSON body. Network failures reject, as fetch does. */
  async function api(method, url, body) {
    const options = {
      method,
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(), Accept: "application/json" },
    };
    if (body !== undefined) {
      options.headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(body);
    }
    const response = await fetch(url, options);
    let data = null;
    if (response.status !== 204) {
      try { data = await response.json(); } catch (e) { data = null; }
    }
    return { ok: response.ok, status: response.status, data };
  }

  /* Server-rendered HTML as a fragment to insert, and its first element. */
  function fragment(html) {
    const template = document.createElement("template");
    template.innerHTML = html.trim();
    return template.content;
  }

  function element(html) {
    return fragment(html).firstElementChild;
  }

  const STATE_TEXT = {
    live: "Live",
    reconnecting: "Reconnecting…",
    // Refused (the reader was suspended, or lost access): said plainly, not retried.
    stopped: "Live updates are off for you here. See your notices.",
  };

  function showState(statusEl, state) {
    if (!statusEl) return;
    statusEl.dataset.state = state;
    statusEl.querySelector(".live-status__text").textContent = STATE_TEXT[state];
  }

  /* A stream that keeps itself open. The browser retries a dropped connection by itself; when
   * it gives up (the server answered with an error), this tries again with back-off, resuming
   * from the last event seen, so nothing is missed.
   *
   *   url(position)   the stream's address, resuming after `position` ("" at first)
   *   position        where the page's server-rendered content left off
   *   on              { "event.type": handler(data) }, data parsed from JSON
   *   status          the page's live-status element (`.live-status`), kept up to date
   *   onState(state)  "live", "reconnecting" or "stopped", for anything else to follow
   *   refusedBy       an address to ask (HEAD) before retrying: 403 or 404 there means the
   *                   reader may no longer read, and the stream stops instead of retrying
   *   maxDelay        the longest wait between tries, in ms (30 s)
   *   raw             handlers get the event's text, unparsed (to pass it on as it came)
   */
  function stream(options) {
    let position = options.position || "";
    let source = null;
    let retryDelay = 1000;
    let closed = false;
    const maxDelay = options.maxDelay || 30000;
    const onState = (state) => {
      showState(options.status, state);
      if (options.onState) options.onState(state);
    };

    function retry() {
      if (closed) return;
      setTimeout(connect, retryDelay);
      retryDelay = Math.min(retryDelay * 2, maxDelay);
    }

    function gaveUp() {
      source = null;
      if (!options.refusedBy) return retry();
      fetch(options.refusedBy, { method: "HEAD", credentials: "same-origin" }).then((r) => {
        if (r.status === 403 || r.status === 404) {
          onState("stopped");
          return;
        }
        retry();
      }).catch(retry);
    }

    function connect() {
      if (closed) return;
      source = new EventSource(options.url(position), { withCredentials: true });
      source.onopen = () => { retryDelay = 1000; onState("live"); };
      source.onerror = () => {
        onState("reconnecting");
        if (source && source.readyState === EventSource.CLOSED) gaveUp();
      };
      const remember = (event) => { position = event.lastEventId || position; };
      source.addEventListener("message", remember);
      source.addEventListener("ready", remember);
      for (const [type, handler] of Object.entries(options.on)) {
        source.addEventListener(type, (event) => {
          remember(event);
          if (options.raw) return handler(event.data);
          let data;
          try { data = JSON.parse(event.data); } catch (e) { return; }
          handler(data);
        });
      }
    }

    connect();
    return {
      get position() { return position; },
      close() {
        closed = true;
        if (source) source.close();
      },
    };
  }

  /* `?since=` for a stream address, when there is a position to resume from. */
  function since(position) {
    return position ? "?since=" + encodeURIComponent(position) : "";
  }

  global.Backchannel = { csrfToken, api, fragment, element, stream, since };
})(typeof window !== "undefined" ? window : self);
