/* Q&A, live: questions arrive, move with their votes and leave over the session's stream;
 * asking and voting go through the JSON API; presenters run the list from the same page.
 * Question HTML comes from the server (escaped there); text from users is only ever set with
 * textContent here. Without this script the page still works (forms post and redirect). */
(function () {
  "use strict";

  const list = document.getElementById("questions");
  if (!list) return;
  const sessionId = list.dataset.session;
  const runner = list.dataset.runner === "1";
  const order = list.dataset.order;
  const statusEl = document.getElementById("live-status");
  const nowBox = document.getElementById("now-answering");
  const emptyEl = document.querySelector(".questions__empty");
  const voted = new Set((list.dataset.voted || "").split(",").filter(Boolean));
  const me = document.body.dataset.user || "";

  const { api, element } = window.Backchannel;

  /* --- Showing questions -------------------------------------------------------------- */

  function decorate(article) {
    const id = article.dataset.questionId;
    const button = article.querySelector(".vote");
    if (button) {
      button.setAttribute("aria-pressed", voted.has(id) ? "true" : "false");
      if (me && article.dataset.author === me) button.disabled = true; // one's own question
    }
    const controls = article.querySelector("[data-runner-only]");
    if (controls && runner) controls.hidden = false;
    article.classList.toggle("question--now", list.dataset.now === id);
  }

  function sort() {
    if (order !== "top") return;
    const items = Array.from(list.querySelectorAll(":scope > .question"));
    items.sort((a, b) => (Number(b.dataset.votes) - Number(a.dataset.votes)) || (Number(a.dataset.questionId) - Number(b.dataset.questionId)));
    items.forEach((item) => list.appendChild(item));
  }

  function refresh() {
    if (emptyEl) emptyEl.hidden = list.querySelector(".question") !== null;
  }

  function upsert(html) {
    const article = element(html);
    const existing = document.getElementById(article.id);
    if (article.dataset.status === "dismissed") { if (existing) existing.remove(); refresh(); return; }
    if (existing) existing.replaceWith(article);
    else if (order === "top") list.appendChild(article);
    else list.prepend(article);
    decorate(article);
    sort();
    refresh();
  }

  function setVotes(id, count) {
    const article = document.getElementById("question-" + id);
    if (!article) return;
    article.dataset.votes = String(count);
    article.querySelector(".vote__count").textContent = String(count);
    sort();
  }

  function showNow(id) {
    list.dataset.now = id ? String(id) : "";
    list.querySelectorAll(".question").forEach(decorate);
    if (!nowBox) return;
    const article = id ? document.getElementById("question-" + id) : null;
    nowBox.hidden = !article;
    if (article) {
      nowBox.querySelector(".now-answering__body").textContent = article.querySelector(".question__body").textContent;
      answeringSince = Date.now();
    }
  }

  /* --- The stream --------------------------------------------------------------------- */

  const live = window.Backchannel.stream({
    url: (position) => "/api/v1/sessions/" + sessionId + "/stream" + window.Backchannel.since(position),
    position: list.dataset.position,
    status: statusEl,
    on: {
      "question.created": (data) => upsert(data.html),
      "question.updated": (data) => upsert(data.html),
      "question.voted": (data) => setVotes(data.question_id, data.vote_count),
      "question.removed": (data) => {
        const article = document.getElementById("question-" + data.question_id);
        if (article) article.remove();
        refresh();
      },
      "question.merged": (data) => {
        const article = document.getElementById("question-" + data.question_id);
        if (article) article.remove();
        upsert(data.html);
      },
      "question.pinned": (data) => showNow(data.question_id),
      "poll.updated": (data) => onPollUpdated(data),
    },
  });
  window.addEventListener("pagehide", () => live.close());

  /* --- Voting ------------------------------------------------------------------------- */

  async function toggleVote(id, button) {
    if (!me) { window.location.href = "/accounts/login/?next=" + encodeURIComponent(location.pathname); return; }
    const isOn = voted.has(id);
    const result = await api(isOn ? "DELETE" : "POST", "/api/v1/questions/" + id + "/vote");
    if (!result.ok) { if (result.data && result.data.detail) window.alert(result.data.detail); return; }
    if (result.data.voted) voted.add(id); else voted.delete(id);
    if (button) button.setAttribute("aria-pressed", result.data.voted ? "true" : "false");
    setVotes(id, result.data.vote_count);
  }

  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (form.dataset.action !== "vote") return;
    event.preventDefault();
    const article = form.closest(".question");
    toggleVote(article.dataset.questionId, form.querySelector(".vote"));
  });

  /* --- Asking, with similar questions suggested first --------------------------------- */

  const ask = document.getElementById("ask");
  if (ask) {
    const textarea = ask.querySelector("textarea");
    const similarBox = document.getElementById("similar-questions");
    const similarList = similarBox.querySelector(".similar__list");
    const caution = document.getElementById("ask-caution");
    const statusLine = ask.querySelector(".ask__status");
    let timer = null;
    let seq = 0;

    textarea.addEventListener("input", () => {
      window.clearTimeout(timer);
      timer = window.setTimeout(async () => {
        const mine = ++seq;
        const text = textarea.value.trim();
        if (text.length < 8) { similarBox.hidden = true; return; }
        const result = await api("GET", "/api/v1/sessions/" + sessionId + "/questions/similar?text=" + encodeURIComponent(text));
        if (mine !== seq || !result.ok) return;
        similarList.replaceChildren();
        for (const match of result.data) {
          const item = document.createElement("li");
          const count = match.question.vote_count;
          item.append(match.question.body + " (" + count + (count === 1 ? " vote) " : " votes) "));
          if (match.question.status === "live") {
            const button = document.createElement("button");
            button.type = "button";
            button.className = "link-button";
            button.textContent = voted.has(String(match.question.id)) ? "You voted" : "Vote for this";
            button.addEventListener("click", () => {
              if (!voted.has(String(match.question.id))) toggleVote(String(match.question.id), document.querySelector("#question-" + match.question.id + " .vote"));
              button.textContent = "You voted";
            });
            item.append(button);
          }
          similarList.append(item);
        }
        similarBox.hidden = result.data.length === 0;
      }, 500);
    });

    ask.addEventListener("submit", async (event) => {
      event.preventDefault();
      const confirm = Boolean(event.submitter && event.submitter.name === "confirm");
      const body = { body: textarea.value, anonymous: ask.querySelector("[name=anonymous]").checked, confirm };
      const result = await api("POST", "/api/v1/sessions/" + sessionId + "/questions", body);
      if (result.status === 409 && result.data && result.data.caution) {
        const findings = caution.querySelector(".composer__findings");
        findings.replaceChildren();
        const chars = Array.from(textarea.value);
        for (const finding of result.data.caution) {
          if (finding.kind === "crisis") continue;
          const item = document.createElement("li");
          const passage = document.createElement("q");
          passage.textContent = chars.slice(finding.start, finding.end).join("");
          item.append(passage, " " + finding.message);
          findings.append(item);
        }
        caution.hidden = false;
        return;
      }
      if (!result.ok) { statusLine.textContent = (result.data && result.data.detail) || "That did not work."; return; }
      caution.hidden = true;
      if (result.data && result.data.crisis_support) window.BackchannelCare.show(document.getElementById("ask-crisis-support"), result.data.crisis_support);
      // Only clear what was sent: the asker may already be typing the next question.
      if (textarea.value === body.body) {
        similarBox.hidden = true;
        textarea.value = "";
      }
      statusLine.textContent = result.status === 202 ? "Thanks. Your question is waiting for approval." : "Your question is in.";
    });
  }

  /* --- Running the list (presenters and facilitators) --------------------------------- */

  async function run(article, what) {
    const id = article.dataset.questionId;
    let result;
    if (what === "pin") {
      result = await api("PUT", "/api/v1/sessions/" + sessionId + "/now-answering", { question_id: Number(id) });
    } else if (what === "merge") {
      const others = Array.from(list.querySelectorAll(".question")).filter((q) => q !== article);
      if (!others.length) return;
      const select = document.createElement("select");
      select.setAttribute("aria-label", "Merge into which question");
      for (const other of others) {
        const option = document.createElement("option");
        option.value = other.dataset.questionId;
        option.textContent = other.querySelector(".question__body").textContent.slice(0, 70);
        select.append(option);
      }
      const go = document.createElement("button");
      go.type = "button";
      go.className = "button button--small";
      go.textContent = "Merge";
      go.addEventListener("click", async () => {
        const merged = await api("POST", "/api/v1/questions/" + id + "/merge", { into: Number(select.value) });
        if (!merged.ok && merged.data) window.alert(merged.data.detail);
      });
      article.querySelector(".question__run").append(select, go);
      select.focus();
      return;
    } else {
      result = await api("PATCH", "/api/v1/questions/" + id, { status: what });
      if (result.ok && article.closest("#pending")) article.remove();
    }
    if (!result.ok && result.data) window.alert(result.data.detail);
  }

  document.addEventListener("click", (event) => {
    const button = event.target.closest("[data-run]");
    if (button) { run(button.closest(".question"), button.dataset.run); return; }
    const unpin = event.target.closest("[data-run-session=unpin]");
    if (unpin) api("PUT", "/api/v1/sessions/" + sessionId + "/now-answering", { question_id: null });
  });

  /* --- The presenter's clocks --------------------------------------------------------- */

  let answeringSince = Date.now();
  const clock = document.getElementById("clock");
  const answerTimer = document.getElementById("answer-timer");
  function tick() {
    if (clock && clock.dataset.ends) {
      const left = Math.round((new Date(clock.dataset.ends) - Date.now()) / 60000);
      clock.textContent = left > 0 ? left + " min left" : "Time is up";
    }
    if (answerTimer && nowBox && !nowBox.hidden) {
      const seconds = Math.floor((Date.now() - answeringSince) / 1000);
      answerTimer.textContent = "· " + Math.floor(seconds / 60) + ":" + String(seconds % 60).padStart(2, "0");
    }
  }
  if (clock || answerTimer) { tick(); window.setInterval(tick, 1000); }


  /* --- Polls ---------------------------------------------------------------------------- */

  const pollsBox = document.getElementById("polls");
  const charts = new Map();

  function renderResults(article, data) {
    const box = article.querySelector("[data-results]");
    const summary = box.querySelector(".poll__summary");
    const listEl = box.querySelector(".poll__list");
    const canvas = box.querySelector(".poll__chart");
    const cloud = box.querySelector(".poll__cloud");
    const people = data.total === 1 ? "1 answer" : data.total + " answers";
    if (!data.visible) {
      summary.textContent = people + " so far. Results appear when the poll closes.";
      listEl.replaceChildren();
      canvas.hidden = true;
      return;
    }
    summary.textContent = people + ".";
    listEl.replaceChildren();
    for (const row of data.results) {
      const item = document.createElement("li");
      item.textContent = row.label + ": " + row.count;
      listEl.append(item);
    }
    if (article.dataset.kind === "words") {
      cloud.replaceChildren();
      const most = Math.max(1, ...data.results.map((r) => r.count));
      for (const row of data.results) {
        const word = document.createElement("span");
        word.className = "poll__word";
        word.textContent = row.label;
        word.style.fontSize = (0.9 + 1.5 * (row.count / most)).toFixed(2) + "rem";
        cloud.append(word, " ");
      }
      return;
    }
    canvas.hidden = false;
    if (!window.Chart) return; // the list above says the same
    const id = article.dataset.pollId;
    const labels = data.results.map((r) => r.label);
    const counts = data.results.map((r) => r.count);
    let chart = charts.get(id);
    if (!chart) {
      chart = new window.Chart(canvas, {
        type: "bar",
        data: { labels, datasets: [{ label: "Answers", data: counts, backgroundColor: "#0b5563" }] },
        options: {
          indexAxis: "y", animation: { duration: 250 },
          plugins: { legend: { display: false } },
          scales: { x: { beginAtZero: true, ticks: { precision: 0 } } },
        },
      });
      charts.set(id, chart);
    } else {
      chart.data.labels = labels;
      chart.data.datasets[0].data = counts;
      chart.update();
    }
  }

  async function loadResults(article) {
    const result = await api("GET", "/api/v1/polls/" + article.dataset.pollId + "/results");
    if (result.ok) renderResults(article, result.data);
  }

  async function reloadPolls() {
    if (!pollsBox) return;
    const response = await fetch(location.pathname + "?fragment=polls", { credentials: "same-origin" });
    if (!response.ok) return;
    charts.forEach((chart) => chart.destroy());
    charts.clear();
    const fresh = element(await response.text());
    pollsBox.replaceWith(fresh);
    setUpPolls(fresh);
  }

  function setUpPolls(box) {
    box.querySelectorAll(".poll").forEach((article) => {
      const controls = article.querySelector("[data-runner-only]");
      if (controls && box.dataset.runner === "1") controls.hidden = false;
      loadResults(article);
    });
  }

  function onPollUpdated(data) {
    const box = document.getElementById("polls");
    if (!box) return;
    const article = document.getElementById("poll-" + data.poll.id);
    if (!article || article.dataset.status !== data.poll.status) { reloadPolls(); return; }
    if (data.visible) renderResults(article, data);
    else if (box.dataset.runner === "1") loadResults(article);
    else renderResults(article, data);
  }

  document.addEventListener("submit", async (event) => {
    const form = event.target;
    if (form.dataset.action !== "answer") return;
    event.preventDefault();
    const article = form.closest(".poll");
    const fields = new FormData(form);
    const body = {
      options: fields.getAll("option").map(Number),
      text: fields.get("text") || "",
      rating: fields.get("rating") ? Number(fields.get("rating")) : null,
    };
    const result = await api("POST", "/api/v1/polls/" + article.dataset.pollId + "/responses", body);
    if (!result.ok) { window.alert((result.data && result.data.detail) || "That did not work."); return; }
    const done = document.createElement("p");
    done.className = "poll__done muted";
    done.textContent = "You answered. Thank you.";
    form.replaceWith(done);
  });

  document.addEventListener("click", async (event) => {
    const button = event.target.closest("[data-poll-status]");
    if (!button) return;
    const article = button.closest(".poll");
    const result = await api("PATCH", "/api/v1/polls/" + article.dataset.pollId, { status: button.dataset.pollStatus });
    if (!result.ok && result.data) window.alert(result.data.detail);
    else reloadPolls();
  });

  if (pollsBox) window.addEventListener("load", () => setUpPolls(document.getElementById("polls")));

  list.querySelectorAll(".question").forEach(decorate);
  document.querySelectorAll("#pending .question").forEach(decorate);
  refresh();
})();
