/* The projector wall. What it shows is decided by the server (GET /api/v1/sessions/{id}/wall):
 * asked every few seconds, and at once when the session's stream says something changed. A
 * post taken down, or a pause, leaves the screen immediately. Post HTML comes from the server
 * (escaped there); other text is set with textContent. */
(function () {
  "use strict";

  const wall = document.getElementById("wall");
  if (!wall) return;
  const sessionId = wall.dataset.session;
  const postsBox = document.getElementById("wall-posts");
  const pausedNote = document.querySelector(".wall__paused");
  const nowBox = document.getElementById("wall-now");
  const pollBox = document.getElementById("wall-poll");
  const REFRESH_MS = 4000;

  const { api } = window.Backchannel;

  function showPaused(paused) {
    wall.dataset.paused = paused ? "1" : "";
    pausedNote.hidden = !paused;
    postsBox.hidden = paused;
    if (paused) postsBox.replaceChildren();
  }

  async function refresh() {
    let data;
    try {
      const response = await fetch("/api/v1/sessions/" + sessionId + "/wall", { credentials: "same-origin" });
      if (!response.ok) return;
      data = await response.json();
    } catch (e) { return; }
    showPaused(data.state.paused);
    if (!data.state.paused) {
      const template = document.createElement("template");
      template.innerHTML = data.posts_html;
      postsBox.replaceChildren(template.content);
    }
    nowBox.hidden = !data.now_answering;
    if (data.now_answering) nowBox.querySelector(".wall__question").textContent = data.now_answering.body;
    pollBox.hidden = !data.poll;
    if (data.poll) {
      pollBox.querySelector(".wall__poll-question").textContent = data.poll.question;
      const bars = pollBox.querySelector(".wall__bars");
      bars.replaceChildren();
      const most = Math.max(1, ...data.poll.results.map((r) => r.count));
      for (const row of data.poll.results) {
        const item = document.createElement("li");
        const label = document.createElement("span");
        label.textContent = row.label + " · " + row.count;
        const bar = document.createElement("span");
        bar.className = "wall__bar";
        bar.style.width = Math.round(100 * row.count / most) + "%";
        item.append(label, bar);
        bars.append(item);
      }
      if (!data.poll.visible) {
        const item = document.createElement("li");
        item.textContent = data.poll.total + " answers so far. Results when the poll closes.";
        bars.append(item);
      }
    }
  }

  function remove(postId) {
    const post = document.getElementById("wall-post-" + postId);
    if (post) post.remove();
  }

  const live = window.Backchannel.stream({
    url: (position) => "/api/v1/sessions/" + sessionId + "/stream" + window.Backchannel.since(position),
    position: wall.dataset.position,
    maxDelay: 5000, // a wall runs unattended: come back quickly
    on: {
      "post.hidden": (data) => remove(data.post_id),
      "post.deleted": (data) => remove(data.post_id),
      "wall.updated": (data) => { showPaused(data.paused); refresh(); },
      "question.pinned": () => refresh(),
      "poll.updated": () => refresh(),
    },
  });
  window.addEventListener("pagehide", () => live.close());

  // The kill switch and approvals, from a facilitator's screen.
  document.addEventListener("submit", async (event) => {
    const form = event.target;
    if (form.dataset.action === "wall-approve") return approve(event, form);
    if (form.dataset.action !== "wall-pause") return;
    event.preventDefault();
    const pause = form.querySelector("[name=paused]").value === "1";
    const result = await api("PUT", "/api/v1/sessions/" + sessionId + "/wall", { paused: pause });
    if (!result.ok) return;
    showPaused(pause);
    form.querySelector("[name=paused]").value = pause ? "0" : "1";
    form.querySelector("button").textContent = pause ? "Resume the wall" : "Pause the wall";
  });
  async function approve(event, form) {
    event.preventDefault();
    const button = form.querySelector("[data-wall-approve]");
    const on = button.getAttribute("aria-pressed") !== "true";
    const result = await api(on ? "PUT" : "DELETE", "/api/v1/posts/" + button.dataset.wallApprove + "/wall");
    if (!result.ok) return;
    button.setAttribute("aria-pressed", on ? "true" : "false");
    button.textContent = on ? "On the wall" : "Show on the wall";
    form.querySelector("[name=on]").value = on ? "0" : "1";
  }

  refresh();
  window.setInterval(refresh, REFRESH_MS);
})();
