/* The facilitators' queue, live: items arrive and leave over the event's moderation stream
 * (`mod:<event>`), and decisions go through the JSON API without leaving the page. Without this
 * script the page still works: its forms post and redirect. Item HTML is rendered (and escaped)
 * by the server; this file never builds markup from user text. */
(function () {
  "use strict";

  const queue = document.getElementById("queue");
  if (!queue) return;
  const statusEl = document.getElementById("live-status");
  const announcer = document.getElementById("queue-announcer");
  const countEl = document.getElementById("queue-count");
  const emptyEl = document.querySelector(".queue__empty");
  const baseTitle = document.title;

  function csrfToken() {
    const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (match) return decodeURIComponent(match[1]);
    const input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function announce(text) {
    announcer.textContent = "";
    window.setTimeout(() => { announcer.textContent = text; }, 50);
  }

  function refreshCount() {
    const items = queue.querySelectorAll(".queue-item");
    const urgent = queue.querySelectorAll(".queue-item--urgent").length;
    countEl.textContent = String(items.length);
    emptyEl.hidden = items.length > 0;
    document.title = (urgent ? "(" + urgent + " urgent) " : items.length ? "(" + items.length + ") " : "") + baseTitle;
  }

  function fragment(html) {
    const template = document.createElement("template");
    template.innerHTML = html.trim();
    return template.content.firstElementChild;
  }

  function upsert(data) {
    const item = fragment(data.html);
    const existing = document.getElementById(item.id);
    if (existing) {
      existing.replaceWith(item);
    } else if (data.urgent) {
      // Crisis first: after the other urgent items, before everything else.
      const firstCalm = queue.querySelector(".queue-item:not(.queue-item--urgent)");
      queue.insertBefore(item, firstCalm);
    } else {
      queue.appendChild(item);
    }
    item.classList.add("queue-item--new");
    refreshCount();
    announce(data.urgent ? "Crisis language alert in the queue." : "New item in the moderation queue.");
  }

  function close(postId, outcome) {
    const item = document.getElementById("queue-item-" + postId);
    if (!item) return;
    item.remove();
    refreshCount();
    announce("An item was resolved" + (outcome ? " (" + outcome + ")" : "") + ".");
  }

  let lastId = queue.dataset.position || "";
  let source = null;
  let retryDelay = 1000;

  function setStatus(state, text) {
    statusEl.dataset.state = state;
    statusEl.querySelector(".live-status__text").textContent = text;
  }

  function on(type, handler) {
    source.addEventListener(type, (event) => {
      lastId = event.lastEventId || lastId;
      let data;
      try { data = JSON.parse(event.data); } catch (e) { return; }
      handler(data);
    });
  }

  function connect() {
    const url = queue.dataset.stream + (lastId ? "?since=" + encodeURIComponent(lastId) : "");
    source = new EventSource(url, { withCredentials: true });
    source.onopen = () => { retryDelay = 1000; setStatus("live", "Live"); };
    source.onerror = () => {
      setStatus("reconnecting", "Reconnecting…");
      if (source.readyState === EventSource.CLOSED) {
        source = null;
        window.setTimeout(connect, retryDelay);
        retryDelay = Math.min(retryDelay * 2, 30000);
      }
    };
    on("queue.item", upsert);
    on("queue.closed", (data) => close(data.post_id, data.outcome));
    on("dm_report.created", () => {
      const note = document.getElementById("dm-reports-new");
      if (note) note.hidden = false;
      announce("A private message was reported.");
    });
    on("appeal.created", () => {
      const note = document.getElementById("appeals-new");
      if (note) note.hidden = false;
      announce("A new appeal arrived.");
    });
  }

  queue.addEventListener("submit", async (event) => {
    const form = event.target;
    const item = form.closest(".queue-item");
    if (!item) return;
    event.preventDefault();
    const data = new FormData(form);
    const submitter = event.submitter;
    const action = submitter && submitter.name === "action" ? submitter.value : data.get("action");
    const body = { action: action, note: "" };
    const reason = data.get("reason");
    if (reason) body.reason = reason;
    const response = await fetch("/api/v1/posts/" + item.dataset.postId + "/moderation", {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken(), Accept: "application/json" },
      body: JSON.stringify(body),
    });
    if (response.ok) {
      close(item.dataset.postId, action);
      return;
    }
    let detail = "That did not work (" + response.status + ").";
    try { detail = (await response.json()).detail || detail; } catch (e) { /* keep */ }
    announce(detail);
    window.alert(detail);
  });

  refreshCount();
  connect();
  window.addEventListener("pagehide", () => { if (source) source.close(); });
})();
