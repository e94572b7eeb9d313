/* A direct-message conversation, live: messages arrive over the person's private stream
 * (me.js), sending goes through the JSON API with a client id (a retry never sends twice),
 * and what arrives while the page is open is marked read. Text from people is only ever set
 * with textContent. Without this script the form posts and the page reloads. */
(function () {
  "use strict";

  const list = document.getElementById("messages-list");
  if (!list) return;
  const partner = list.dataset.partner;
  const me = list.dataset.me;
  const form = document.getElementById("dm-composer");
  const announcer = document.getElementById("dm-announcer");

  const { api } = window.Backchannel;

  function show(message) {
    if (document.getElementById("dm-" + message.id)) return;
    const empty = list.querySelector(".dm-empty");
    if (empty) empty.remove();
    const mine = message.sender === me;
    const item = document.createElement("li");
    item.className = "dm" + (mine ? " dm--mine" : "");
    item.id = "dm-" + message.id;
    const meta = document.createElement("p");
    meta.className = "dm__meta";
    const who = document.createElement("span");
    who.className = "visually-hidden";
    who.textContent = (mine ? "You" : "@" + message.sender) + ", ";
    const time = document.createElement("time");
    time.dateTime = message.created_at;
    time.textContent = new Date(message.created_at).toLocaleString([], { day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" });
    meta.append(who, time);
    const body = document.createElement("p");
    body.className = "dm__body";
    body.dir = "auto";
    body.textContent = message.body;
    item.append(meta, body);
    if (!mine) {
      const actions = document.createElement("p");
      actions.className = "dm__actions";
      const report = document.createElement("a");
      report.href = "/messages/report/" + message.id + "/";
      report.rel = "nofollow";
      report.textContent = "Report";
      actions.append(report);
      item.append(actions);
    }
    list.append(item);
    item.scrollIntoView({ block: "nearest" });
  }

  window.addEventListener("backchannel:me", (event) => {
    const { type, data } = event.detail;
    if (type !== "dm.created") return;
    const message = data.message;
    const ours = (message.sender === partner && message.recipient === me) || (message.sender === me && message.recipient === partner);
    if (!ours) return;
    show(message);
    if (message.sender === partner) {
      announcer.textContent = "@" + partner + ": " + message.body;
      if (document.visibilityState === "visible") api("POST", "/api/v1/dms/" + encodeURIComponent(partner) + "/read");
    }
  });

  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") api("POST", "/api/v1/dms/" + encodeURIComponent(partner) + "/read");
  });

  if (!form) return;
  const textarea = form.querySelector("textarea");
  const status = form.querySelector(".dm-composer__status");
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const body = textarea.value;
    if (!body.trim()) { status.textContent = "Write a message first."; return; }
    const clientId = "dm-" + Date.now().toString(36) + "-" + Math.random().toString(36).slice(2, 10);
    const button = form.querySelector("button[type=submit]");
    button.disabled = true;
    status.textContent = "Sending…";
    let result;
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        result = await api("POST", "/api/v1/dms/" + encodeURIComponent(partner), { body, client_id: clientId });
        break;
      } catch (e) {
        result = null;  // the network: the same client id makes the retry safe
      }
    }
    button.disabled = false;
    if (!result) { status.textContent = "Not sent: the connection dropped. Try again."; return; }
    if (!result.ok) { status.textContent = (result.data && result.data.detail) || "Not sent."; return; }
    show(result.data);
    if (textarea.value === body) textarea.value = "";
    status.textContent = "Sent.";
  });
})();
