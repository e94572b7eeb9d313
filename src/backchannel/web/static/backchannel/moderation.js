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

  const { api, element } = window.Backchannel;

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

  function upsert(data) {
    const item = element(data.html);
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

  const live = window.Backchannel.stream({
    url: (position) => queue.dataset.stream + window.Backchannel.since(position),
    position: queue.dataset.position,
    status: statusEl,
    on: {
      "queue.item": upsert,
      "queue.closed": (data) => close(data.post_id, data.outcome),
      "dm_report.created": () => {
        const note = document.getElementById("dm-reports-new");
        if (note) note.hidden = false;
        announce("A private message was reported.");
      },
      "appeal.created": () => {
        const note = document.getElementById("appeals-new");
        if (note) note.hidden = false;
        announce("A new appeal arrived.");
      },
    },
  });
  window.addEventListener("pagehide", () => live.close());

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
    const result = await api("POST", "/api/v1/posts/" + item.dataset.postId + "/moderation", body);
    if (result.ok) {
      close(item.dataset.postId, action);
      return;
    }
    const detail = (result.data && result.data.detail) || "That did not work (" + result.status + ").";
    announce(detail);
    window.alert(detail);
  });

  refreshCount();
})();
