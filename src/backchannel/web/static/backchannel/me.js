/* The signed-in person's private stream, on every page: keeps the header's unread counts
 * current, announces new notifications to screen readers, and hands each event to the page
 * (window event "backchannel:me" with {type, data}). One stream per browser through a shared
 * worker where the browser has them, else one per tab. */
(function () {
  "use strict";

  const script = document.currentScript;
  const me = script ? script.dataset.user : "";
  if (!me) return;

  const announcer = document.createElement("p");
  announcer.className = "visually-hidden";
  announcer.setAttribute("role", "status");
  announcer.setAttribute("aria-live", "polite");
  document.body.append(announcer);

  function setCount(name, value) {
    const badge = document.querySelector('[data-count="' + name + '"]');
    if (!badge || typeof value !== "number") return;
    badge.querySelector(".count-badge__n").textContent = String(value);
    badge.hidden = value === 0;
  }

  function showNotification(data) {
    const list = document.getElementById("notifications");
    if (!list) return;
    const item = document.createElement("li");
    item.className = "notification notification--unread";
    item.dataset.kind = data.kind;
    const dot = document.createElement("span");
    dot.className = "avatar";
    dot.setAttribute("aria-hidden", "true");
    dot.textContent = "•";
    const body = document.createElement("div");
    const link = document.createElement("a");
    link.href = data.url;
    link.textContent = data.text;
    const badge = document.createElement("span");
    badge.className = "badge";
    badge.textContent = "New";
    body.append(link, " ", badge);
    item.append(dot, body);
    list.prepend(item);
    const empty = document.querySelector(".notifications__empty");
    if (empty) empty.hidden = true;
  }

  function receive(type, raw) {
    let data;
    try { data = JSON.parse(raw); } catch (e) { return; }
    if (type === "notification.created") {
      setCount("notifications", data.unread);
      announcer.textContent = data.text;
      showNotification(data);
    } else if (type === "notification.read") {
      setCount("notifications", data.unread);
    } else if (type === "dm.created" || type === "dm.read") {
      if (typeof data.unread === "number") setCount("messages", data.unread);
      if (type === "dm.created" && data.message && data.message.sender !== me) {
        const here = document.getElementById("messages-list");
        if (!here || here.dataset.partner !== data.message.sender) {
          announcer.textContent = "New message from @" + data.message.sender;
        }
        const inbox = document.getElementById("inbox-new");
        if (inbox) inbox.hidden = false;
      }
    }
    window.dispatchEvent(new CustomEvent("backchannel:me", { detail: { type, data } }));
  }

  if (typeof SharedWorker === "function") {
    try {
      const worker = new SharedWorker(script.dataset.worker, { name: "backchannel-me-" + me });
      worker.port.onmessage = (event) => {
        if (event.data.type === "stream.state") {
          document.documentElement.dataset.meStream = event.data.data;
          return;
        }
        receive(event.data.type, event.data.data);
      };
      worker.port.start();
      window.addEventListener("pagehide", () => worker.port.postMessage("bye"));
      return;
    } catch (e) {
      /* fall through to a stream of this tab's own */
    }
  }
  // No shared worker: this tab's own stream, kept open the same way.
  const on = {};
  for (const type of ["notification.created", "notification.read", "dm.created", "dm.read"]) {
    on[type] = (data) => receive(type, data);
  }
  const live = window.Backchannel.stream({
    url: (position) => "/api/v1/me/stream" + window.Backchannel.since(position),
    on,
    raw: true,
    onState: (state) => { document.documentElement.dataset.meStream = state; },
  });
  window.addEventListener("pagehide", () => live.close());
})();
