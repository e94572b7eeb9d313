/* Crisis resources beside a composer (web/_crisis_support.html), shared by feed.js and qa.js.
 *
 * `support` is what the server said: the answer to a post or question with crisis language
 * (`crisis_support`), or the caution check's as the author types. Its words go in with
 * textContent only; the event's own lines, rendered by the server, stay unless the post is in
 * another language and the event kept the default lines.
 */
(function () {
  "use strict";

  function show(aside, support) {
    if (!aside || !support) return;
    aside.querySelector(".crisis-support__title").textContent = support.title;
    aside.querySelector(".crisis-support__intro").textContent = support.intro;
    aside.dataset.about = support.about;
    aside.lang = support.language || "en";
    if (support.lines && support.language && support.language !== "en" && aside.dataset.defaultLines === "1") {
      const list = aside.querySelector(".crisis-support__lines");
      list.replaceChildren(...support.lines.concat(support.at_event || []).map((line) =>
        Object.assign(document.createElement("li"), { textContent: line })));
    }
    aside.hidden = false;
  }

  window.BackchannelCare = { show };
})();
