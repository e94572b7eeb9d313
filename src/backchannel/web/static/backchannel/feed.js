/* The live feed of a session: the stream, the composer, likes, replies, deletion.
 *
 * The page works without this script (forms post and redirect); with it, writes go through the
 * JSON API and the feed updates live over Server-Sent Events. HTML inserted here is rendered by
 * the server (escaped there); this file never builds markup from user text.
 */
(function () {
  "use strict";

  const feed = document.getElementById("feed");
  if (!feed) return;
  const me = document.body.dataset.user || "";
  const isModerator = document.body.dataset.moderator === "1";
  const statusEl = document.getElementById("live-status");
  const composer = document.getElementById("composer");

  const { api, fragment } = window.Backchannel;

  function newClientId() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return Date.now().toString(36) + "-" + Math.random().toString(36).slice(2);
  }

  /* --- Showing posts ------------------------------------------------------------------ */

  function decorate(root) {
    root.querySelectorAll("article.post").forEach((post) => {
      const del = post.querySelector("form[data-action=delete]");
      if (del && me && (post.dataset.author === me || isModerator)) del.hidden = false;
      const moderate = post.querySelector("[data-action=moderate]");
      if (moderate && isModerator) moderate.hidden = false;
      const report = post.querySelector("[data-action=report]");
      if (report && me && post.dataset.author === me) report.hidden = true;
    });
  }

  function insertPost(post) {
    if (!post || !post.html || (post.status && post.status !== "published")) return;
    if (post.coverage) {
      // Live coverage goes to the pinned running thread, newest first.
      if (document.getElementById("post-" + post.id)) return;
      const box = document.getElementById("coverage");
      if (!box) return;
      const content = fragment(post.html);
      const article = content.firstElementChild;
      box.querySelector("#coverage-list").prepend(content);
      box.hidden = false;
      decorate(article.parentElement);
      return;
    }
    const existing = document.getElementById("post-" + post.id);
    if (existing) {
      // A placeholder (hidden, then restored by a facilitator): show the post again.
      if (existing.classList.contains("post--deleted") && post.status === "published") {
        const content = fragment(post.html);
        const article = content.firstElementChild;
        existing.replaceWith(content);
        decorate(article.parentElement);
      }
      return;
    }
    const empty = document.querySelector(".feed__empty");
    if (empty) empty.remove();
    feed.setAttribute("role", "feed"); // it holds a post now
    if (post.thread_root) {
      const replies = feed.querySelector('.thread[data-root="' + post.thread_root + '"] .replies');
      if (!replies) return; // its thread is older than what this page shows
      const content = fragment(post.html);
      const article = content.firstElementChild;
      replies.appendChild(content);
      decorate(article.parentElement);
      return;
    }
    const thread = document.createElement("div");
    thread.className = "thread thread--new";
    thread.dataset.root = String(post.id);
    thread.appendChild(fragment(post.html));
    const replies = document.createElement("div");
    replies.className = "replies";
    thread.appendChild(replies);
    // Newest first by id: an approved or restored post may be older than the ones shown.
    const later = Array.from(feed.querySelectorAll(":scope > .thread")).find(
      (t) => Number(t.dataset.root) < post.id);
    if (later) {
      feed.insertBefore(thread, later);
    } else if (document.querySelector(".load-older")) {
      return; // older than this page: it appears when older posts are loaded
    } else {
      feed.appendChild(thread);
    }
    decorate(thread);
  }

  function removePost(postId, text) {
    const article = document.getElementById("post-" + postId);
    if (!article) return;
    const thread = article.closest(".thread");
    const isRoot = thread && thread.dataset.root === String(postId);
    if (isRoot && thread.querySelector(".replies article.post")) {
      article.classList.add("post--deleted");
      article.replaceChildren(Object.assign(document.createElement("p"), {
        className: "post__deleted", textContent: text || "This post was deleted.",
      }));
    } else if (isRoot) {
      thread.remove();
    } else {
      article.remove();
    }
  }

  function showLikes(postId, count, mine) {
    const article = document.getElementById("post-" + postId);
    if (!article) return;
    const counter = article.querySelector(".action__count");
    if (counter) counter.textContent = String(count);
    if (mine !== undefined) {
      const button = article.querySelector(".action--like");
      const on = article.querySelector("form[data-action=like] input[name=on]");
      if (button) button.setAttribute("aria-pressed", mine ? "true" : "false");
      if (on) on.value = mine ? "0" : "1";
    }
  }

  /* --- The live stream ---------------------------------------------------------------- */

  const live = window.Backchannel.stream({
    url: (position) => feed.dataset.stream + window.Backchannel.since(position),
    position: feed.dataset.position,
    refusedBy: feed.dataset.stream,
    status: statusEl,
    on: {
      "post.created": (data) => insertPost(data.post),
      "post.deleted": (data) => removePost(data.post_id),
      "post.hidden": (data) => removePost(data.post_id, "This post was hidden by a facilitator."),
      "session.moderation": (data) => showModeration(data),
      "reaction.changed": (data) => showLikes(data.post_id, data.count),
    },
  });
  window.addEventListener("pagehide", () => live.close());

  function showModeration(settings) {
    const note = document.getElementById("composer-moderation");
    if (!note) return;
    const parts = [];
    if (settings.premoderated) parts.push("Posts in this session appear once a facilitator approves them.");
    if (settings.slow_mode_seconds) parts.push("Slow mode: one post every " + settings.slow_mode_seconds + " seconds.");
    note.textContent = parts.join(" ");
    note.hidden = parts.length === 0;
  }

  /* --- The composer ------------------------------------------------------------------- */

  const segmenter = window.Intl && Intl.Segmenter ? new Intl.Segmenter(undefined, { granularity: "grapheme" }) : null;
  function length(text) {
    text = text.trim();
    if (segmenter) { let n = 0; for (const _ of segmenter.segment(text)) n++; return n; }
    return Array.from(text).length;
  }

  if (composer) {
    const textarea = composer.querySelector("textarea");
    const counter = document.getElementById("composer-count");
    const errorEl = composer.querySelector(".composer__error");
    const submit = composer.querySelector("button[type=submit]:not([name=confirm]):not([data-private])");
    const replyBox = composer.querySelector(".composer__reply");
    const replyTarget = composer.querySelector(".composer__reply-target");
    const replyInput = composer.querySelector("input[name=reply_to]");
    const max = Number(counter.dataset.max);
    let clientId = newClientId();
    const cautionBox = document.getElementById("composer-caution");
    const cautionList = cautionBox.querySelector(".composer__findings");
    const cautionActions = cautionBox.querySelector(".composer__caution-actions");
    const crisisSupport = document.getElementById("crisis-support");
    const highlights = composer.querySelector(".composer__highlights");
    const editPassage = cautionBox.querySelector("[data-action=edit-passage]");
    let firstPassage = null; // [start, end] in UTF-16 units, for "Edit the passage"

    /* The spans behind the text: the draft as plain text nodes, findings as <mark>s. */
    const showHighlights = (text, findings) => {
      highlights.replaceChildren();
      firstPassage = null;
      const chars = Array.from(text);
      const spans = findings.filter((f) => f.kind !== "crisis").sort((a, b) => a.start - b.start);
      let at = 0;
      for (const finding of spans) {
        if (finding.start < at) continue; // overlaps an earlier mark
        highlights.append(document.createTextNode(chars.slice(at, finding.start).join("")));
        const mark = document.createElement("mark");
        mark.dataset.kind = finding.kind;
        mark.dataset.severity = finding.severity;
        mark.textContent = chars.slice(finding.start, finding.end).join("");
        highlights.append(mark);
        if (!firstPassage) {
          const before = chars.slice(0, finding.start).join("").length;
          firstPassage = [before, before + mark.textContent.length];
        }
        at = finding.end;
      }
      // A trailing newline keeps the layer as tall as the textarea's last line.
      highlights.append(document.createTextNode(chars.slice(at).join("") + "\n"));
      highlights.scrollTop = textarea.scrollTop;
    };
    textarea.addEventListener("scroll", () => { highlights.scrollTop = textarea.scrollTop; });

    /* The caution check. Offsets are in code points (the server's), so passages are cut from
     * Array.from(text), not from UTF-16 indexes. Text goes in with textContent only. */
    const showCaution = (text, findings, needsConfirm, support) => {
      cautionList.replaceChildren();
      const chars = Array.from(text);
      let crisis = false;
      for (const finding of findings) {
        if (finding.kind === "crisis") { crisis = true; continue; }
        const item = document.createElement("li");
        item.dataset.kind = finding.kind;
        item.dataset.severity = finding.severity;
        const passage = document.createElement("q");
        passage.textContent = chars.slice(finding.start, finding.end).join("");
        item.append(passage, " " + finding.message);
        cautionList.append(item);
      }
      cautionBox.hidden = cautionList.children.length === 0;
      cautionActions.hidden = !needsConfirm;
      if (crisis && support) window.BackchannelCare.show(crisisSupport, support);
      crisisSupport.hidden = !crisis;
      showHighlights(text, findings);
      editPassage.hidden = !needsConfirm || !firstPassage;
    };
    editPassage.addEventListener("click", () => {
      textarea.focus();
      if (firstPassage) textarea.setSelectionRange(firstPassage[0], firstPassage[1]);
    });
    const clearCaution = () => showCaution("", [], false);

    let checkTimer = null;
    let checkSeq = 0;
    // The draft the server last answered "check this first" (409) for: while it is unchanged,
    // "Post anyway" stays on offer, whatever a slower as-you-type check says afterwards.
    let confirmDraft = null;
    const checkDraft = () => {
      const text = textarea.value;
      const seq = ++checkSeq;
      if (text.trim().length < 6) { clearCaution(); return; }
      api("POST", "/api/v1/caution/check", { text, session_id: Number(composer.dataset.session) || null }).then((result) => {
        // Only the answer for the latest draft counts; a failed check stays quiet.
        if (seq !== checkSeq || !result.ok || !result.data) return;
        showCaution(text, result.data.findings, text === confirmDraft, result.data.crisis_support);
      }).catch(() => {});
    };
    textarea.addEventListener("input", () => {
      highlights.replaceChildren(); // the old spans no longer line up; the next check redraws
      clearTimeout(checkTimer);
      checkTimer = setTimeout(checkDraft, 600);
    });

    const updateCount = () => {
      const left = max - length(textarea.value);
      counter.textContent = left >= 0 ? left + " left" : -left + " over the limit";
      counter.dataset.state = left < 0 ? "over" : left <= 20 ? "low" : "ok";
      submit.disabled = left < 0;
    };
    textarea.addEventListener("input", updateCount);
    updateCount();

    const showError = (message) => {
      errorEl.textContent = message || "";
      errorEl.hidden = !message;
      errorEl.classList.remove("composer__error--notice");
    };
    const showNotice = (message) => {
      showError(message);
      errorEl.classList.add("composer__error--notice");
    };

    const setReply = (postId, name) => {
      replyInput.value = postId || "";
      replyBox.hidden = !postId;
      replyTarget.textContent = name || "";
    };

    composer.addEventListener("click", (event) => {
      if (event.target.closest("[data-action=cancel-reply]")) { setReply(null); textarea.focus(); }
    });

    // "Craft your post": insert a hashtag or a presenter's handle where the cursor is.
    composer.addEventListener("click", (event) => {
      const chip = event.target.closest("[data-insert]");
      if (!chip) return;
      const text = chip.dataset.insert;
      const start = textarea.selectionStart, end = textarea.selectionEnd, value = textarea.value;
      const before = value.slice(0, start), after = value.slice(end);
      const spaced = (before && !/\s$/.test(before) ? " " : "") + text + (/^\s/.test(after) ? "" : " ");
      textarea.value = before + spaced + after;
      const caret = before.length + spaced.length;
      textarea.focus();
      textarea.setSelectionRange(caret, caret);
      textarea.dispatchEvent(new Event("input"));
    });

    textarea.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) composer.requestSubmit();
    });

    composer.addEventListener("submit", async (event) => {
      // "Send privately instead" takes the draft to a direct message: a plain form post.
      if (event.submitter && event.submitter.dataset.private) return;
      event.preventDefault();
      showError("");
      if (!textarea.value.trim()) { showError("Write something first."); textarea.focus(); return; }
      // The post's own answer speaks for this draft: a check still waiting to run (or on its
      // way back) must not redraw the warning over it.
      clearTimeout(checkTimer);
      checkSeq++;
      submit.disabled = true;
      const body = {
        body: textarea.value,
        reply_to: replyInput.value ? Number(replyInput.value) : null,
        client_id: clientId,
        confirm: Boolean(event.submitter && event.submitter.name === "confirm"),
        coverage: Boolean(composer.querySelector("[name=coverage]:checked")),
      };
      const url = composer.dataset.postUrl || "/api/v1/sessions/" + composer.dataset.session + "/posts";
      // Retry network failures with the same client_id: the server never makes a copy.
      for (let attempt = 0; attempt < 4; attempt++) {
        let result;
        try {
          result = await api("POST", url, body);
        } catch (networkError) {
          showError("Connection lost. Trying again…");
          await new Promise((resolve) => setTimeout(resolve, 800 * (attempt + 1)));
          continue;
        }
        submit.disabled = false;
        if (result.ok) {
          insertPost(result.data);
          const held = result.status === 202;
          textarea.value = "";
          const coverageBox = composer.querySelector("[name=coverage]");
          if (coverageBox) coverageBox.checked = false;
          setReply(null);
          clientId = newClientId();
          showError("");
          const keepCrisisSupport = !crisisSupport.hidden; // resources stay once shown
          confirmDraft = null;
          clearCaution();
          crisisSupport.hidden = !keepCrisisSupport;
          // The server's answer carries resources when the post had crisis language, so they
          // show however fast it was sent.
          if (result.data && result.data.crisis_support) window.BackchannelCare.show(crisisSupport, result.data.crisis_support);
          updateCount();
          if (held) showNotice("Thanks. Your post is waiting for a facilitator and appears once approved; you will hear back either way.");
          return;
        }
        if (result.status === 409 && result.data && result.data.caution) {
          // Nothing was posted: show what and why; "Post anyway" resubmits with confirm.
          checkSeq++;
          confirmDraft = body.body;
          showCaution(body.body, result.data.caution, true);
          cautionActions.querySelector("button").focus();
          return;
        }
        showError((result.data && result.data.detail) || "Your post could not be sent (" + result.status + ").");
        return;
      }
      submit.disabled = false;
      showError("Your post could not be sent. Check your connection and try again; it will not be posted twice.");
    });

    feed.addEventListener("click", (event) => {
      const reply = event.target.closest("[data-action=reply]");
      if (!reply) return;
      event.preventDefault();
      const article = reply.closest("article.post");
      const name = article.querySelector(".post__name");
      setReply(article.dataset.postId, name ? name.textContent : "");
      textarea.focus();
    });
  }

  /* --- Likes, deletion, older posts ---------------------------------------------------- */

  feed.addEventListener("submit", async (event) => {
    const form = event.target;
    const article = form.closest("article.post");
    if (!article) return;
    const postId = article.dataset.postId;
    if (form.dataset.action === "like") {
      event.preventDefault();
      if (!me) { window.location.href = "/accounts/login/?next=" + encodeURIComponent(location.pathname); return; }
      const on = form.querySelector("input[name=on]").value === "1";
      const result = await api(on ? "PUT" : "DELETE", "/api/v1/posts/" + postId + "/reactions/like");
      if (result.ok) showLikes(postId, result.data.count, result.data.mine);
      else if (result.data && result.data.detail) alert(result.data.detail);
    } else if (form.dataset.action === "delete") {
      event.preventDefault();
      if (!confirm("Delete this post? This cannot be undone.")) return;
      const result = await api("DELETE", "/api/v1/posts/" + postId);
      if (result.ok) removePost(postId);
      else if (result.data && result.data.detail) alert(result.data.detail);
    }
  });

  // Older posts join the end of the feed; the link (outside the feed, which holds only posts)
  // becomes the next page's link, or goes.
  document.addEventListener("click", async (event) => {
    const older = event.target.closest("[data-action=older]");
    if (!older) return;
    event.preventDefault();
    const url = new URL(older.href, location.href);
    url.searchParams.set("fragment", "threads");
    const response = await fetch(url, { credentials: "same-origin" });
    if (!response.ok) return;
    const content = fragment(await response.text());
    const next = content.querySelector(".load-older");
    if (next) next.remove();
    const firstNew = content.firstElementChild;
    feed.appendChild(content);
    older.closest(".load-older").replaceWith(next || "");
    decorate(feed);
    if (firstNew) { const link = firstNew.querySelector("a, button"); if (link) link.focus(); }
  });

  decorate(feed);
})();
