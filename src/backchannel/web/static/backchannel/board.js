/* The presenter board: questions and polls in tabs, the question being answered and the next
 * one up in large type, and keyboard shortcuts to run them from a laptop or a tablet at the
 * lectern. qa.js keeps the list live (it re-sorts and replaces questions as the stream says);
 * this script only reads that list and asks the API to pin or mark a question. Without it the
 * page is the plain presenter view: both sections shown, every button in place. */
(function () {
  "use strict";

  const board = document.getElementById("board");
  const list = document.getElementById("questions");
  if (!board || !list) return;
  const { api } = window.Backchannel;
  const sessionId = list.dataset.session;
  const nextBox = document.getElementById("next-up");
  const empty = document.getElementById("board-empty");
  const said = document.getElementById("board-said");
  const keys = document.getElementById("board-keys");

  /* --- Tabs ----------------------------------------------------------------------------- */

  const tabs = Array.from(board.querySelectorAll("[role=tab]"));
  board.querySelector("[role=tablist]").hidden = false;

  function showTab(name, focus) {
    for (const tab of tabs) {
      const on = tab.dataset.tab === name;
      tab.setAttribute("aria-selected", on ? "true" : "false");
      tab.tabIndex = on ? 0 : -1;
      document.getElementById(tab.getAttribute("aria-controls")).hidden = !on;
      if (on && focus) tab.focus();
    }
    history.replaceState(null, "", name === "questions" ? location.pathname + location.search : "#" + name);
  }

  for (const tab of tabs) {
    tab.addEventListener("click", () => showTab(tab.dataset.tab, false));
    tab.addEventListener("keydown", (event) => {  // arrow keys move between tabs (ARIA tabs)
      if (event.key !== "ArrowRight" && event.key !== "ArrowLeft") return;
      const step = event.key === "ArrowRight" ? 1 : tabs.length - 1;
      showTab(tabs[(tabs.indexOf(tab) + step) % tabs.length].dataset.tab, true);
      event.preventDefault();
    });
  }
  showTab(location.hash === "#polls" ? "polls" : "questions", false);

  /* --- Next up ---------------------------------------------------------------------------- */

  let chosen = null;        // a question the presenter picked with J/K; otherwise the top one
  const skipped = [];       // skipped for now: they go to the back of the queue, in order

  function queue() {
    const open = Array.from(list.querySelectorAll(":scope > .question[data-status=live]"))
      .filter((q) => q.dataset.questionId !== list.dataset.now);
    const later = skipped.map((id) => open.find((q) => q.dataset.questionId === id)).filter(Boolean);
    return open.filter((q) => !later.includes(q)).concat(later);
  }

  function nextUp() {
    const waiting = queue();
    return waiting.find((q) => q.dataset.questionId === chosen) || waiting[0] || null;
  }

  function render() {
    const next = nextUp();
    list.querySelectorAll(".question--next").forEach((q) => q.classList.remove("question--next"));
    nextBox.hidden = !next;
    empty.hidden = Boolean(next) || Boolean(list.dataset.now);
    if (!next) return;
    next.classList.add("question--next");
    nextBox.dataset.questionId = next.dataset.questionId;
    nextBox.querySelector(".next-up__body").textContent = next.querySelector(".question__body").textContent;
    const votes = Number(next.dataset.votes);
    nextBox.querySelector(".next-up__votes").textContent = "· " + votes + (votes === 1 ? " vote" : " votes");
    nextBox.querySelector(".next-up__meta").textContent = next.querySelector(".question__meta").textContent.replace(/\s+/g, " ").trim();
  }

  new MutationObserver(render).observe(list, {
    childList: true, subtree: true, attributes: true, attributeFilter: ["data-votes", "data-status", "data-now"],
  });
  render();

  function say(text) { said.textContent = text; }

  function choose(step) {
    const waiting = queue();
    if (!waiting.length) return;
    const at = waiting.indexOf(nextUp());
    const next = waiting[(at + step + waiting.length) % waiting.length];
    chosen = next.dataset.questionId;
    render();
    say("Next up: " + next.querySelector(".question__body").textContent);
  }

  async function pin() {
    const next = nextUp();
    if (!next) return;
    const result = await api("PUT", "/api/v1/sessions/" + sessionId + "/now-answering", { question_id: Number(next.dataset.questionId) });
    if (!result.ok) { if (result.data) window.alert(result.data.detail); return; }
    chosen = null;
    say("Now answering: " + next.querySelector(".question__body").textContent);
  }

  function skip() {
    const next = nextUp();
    if (!next) return;
    const id = next.dataset.questionId;
    const at = skipped.indexOf(id);
    if (at >= 0) skipped.splice(at, 1);
    skipped.push(id);
    chosen = null;
    render();
    say("Skipped for now.");
  }

  async function answered() {
    const id = list.dataset.now;
    if (!id) return;
    const result = await api("PATCH", "/api/v1/questions/" + id, { status: "answered" });
    if (!result.ok) { if (result.data) window.alert(result.data.detail); return; }
    say("Marked answered.");
  }

  function clear() {
    if (!list.dataset.now) return;
    api("PUT", "/api/v1/sessions/" + sessionId + "/now-answering", { question_id: null });
    say("Cleared from the wall.");
  }

  /* --- Full screen ------------------------------------------------------------------------- */

  const full = board.querySelector("[data-board=fullscreen]");
  function toggleFullscreen() {
    if (!document.fullscreenEnabled) return;
    if (document.fullscreenElement) document.exitFullscreen();
    else board.requestFullscreen();
  }
  if (document.fullscreenEnabled) full.hidden = false;

  /* --- Buttons and keys ------------------------------------------------------------------ */

  const actions = { pin, skip, answered, fullscreen: toggleFullscreen };
  board.addEventListener("click", (event) => {
    const button = event.target.closest("[data-board]");
    if (button && actions[button.dataset.board]) actions[button.dataset.board]();
  });

  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey || event.isComposing) return;
    if (event.target.closest("input, textarea, select, [contenteditable]")) {
      if (event.key === "Escape") event.target.blur();  // back to the shortcuts
      return;
    }
    const onQuestions = !document.getElementById("panel-questions").hidden;
    const key = event.key.toLowerCase();
    const handlers = {
      "1": () => showTab("questions", true),
      "2": () => showTab("polls", true),
      "?": () => { keys.open = !keys.open; },
      f: toggleFullscreen,
      p: onQuestions && pin,
      s: onQuestions && skip,
      j: onQuestions && (() => choose(1)),
      k: onQuestions && (() => choose(-1)),
      a: onQuestions && answered,
      c: onQuestions && clear,
    };
    const handler = handlers[key];
    if (!handler) return;
    event.preventDefault();
    handler();
  });
})();
