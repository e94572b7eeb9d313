/* The analytics dashboard: draws the charts from the numbers the page carries (the same numbers
   are in the page as lists and tables, for people who cannot see the charts), and makes the PNG
   report. Chart.js is vendored: nothing is fetched from the network. */
(function () {
  "use strict";

  const source = document.getElementById("analytics-data");
  if (!source) return;
  const data = JSON.parse(source.textContent);
  const colours = { posts: "#0b5563", questions: "#b8572b", viewers: "#5b4b8a", muted: "#6b7280" };

  if (!window.Chart) return; // the lists and tables on the page carry the same numbers
  const Chart = window.Chart;
  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  const page = getComputedStyle(document.body);
  Chart.defaults.color = page.color; // readable in the light and the dark theme
  Chart.defaults.animation = false; // numbers of the past: nothing to animate

  // Draws dashed vertical lines where the session starts and ends (`options.plugins.marks`).
  const marksPlugin = {
    id: "marks",
    afterDatasetsDraw(chart, _args, options) {
      const marks = (options && options.marks) || [];
      const x = chart.scales.x;
      const area = chart.chartArea;
      const ctx = chart.ctx;
      ctx.save();
      ctx.strokeStyle = colours.muted;
      ctx.fillStyle = colours.muted;
      ctx.setLineDash([6, 4]);
      ctx.lineWidth = 1.5;
      ctx.font = "12px " + Chart.defaults.font.family;
      for (const mark of marks) {
        const position = x.getPixelForValue(mark.index);
        ctx.beginPath();
        ctx.moveTo(position, area.top);
        ctx.lineTo(position, area.bottom);
        ctx.stroke();
        ctx.textAlign = position > area.right - 100 ? "right" : "left";
        ctx.fillText(mark.label, position + (ctx.textAlign === "left" ? 4 : -4), area.top + 12);
      }
      ctx.restore();
    },
  };

  const charts = [];
  function draw(id, config) {
    const canvas = document.getElementById(id);
    if (!canvas) return;
    config.options = Object.assign({ responsive: true, maintainAspectRatio: false }, config.options);
    charts.push(new Chart(canvas, config));
  }

  // Posts and questions as bars (counts per step), viewers as a line over them: the whole
  // span, or one chart per day of an event over several days.
  function activity(id, timeline) {
    if (!timeline.labels.length) return;
    draw(id, {
      type: "bar",
      data: {
        labels: timeline.labels,
        datasets: [
          { label: "Posts", data: timeline.posts, backgroundColor: colours.posts, order: 2, barPercentage: 1, categoryPercentage: 0.9 },
          { label: "Questions", data: timeline.questions, backgroundColor: colours.questions, order: 3, barPercentage: 1, categoryPercentage: 0.9 },
          { type: "line", label: "Viewers at once", data: timeline.viewers, borderColor: colours.viewers, backgroundColor: colours.viewers, stepped: true, pointRadius: 0, borderWidth: 2, yAxisID: "viewers", order: 1 },
        ],
      },
      options: {
        interaction: { mode: "index", intersect: false },
        plugins: { marks: { marks: timeline.marks } },
        scales: {
          // Posts and questions stack in one bar per step: wide enough to read over a day.
          x: { stacked: true, ticks: { maxTicksLimit: 12, autoSkip: true } },
          y: { stacked: true, beginAtZero: true, ticks: { precision: 0 }, title: { display: true, text: "Posts and questions" } },
          viewers: { position: "right", beginAtZero: true, ticks: { precision: 0 }, grid: { drawOnChartArea: false }, title: { display: true, text: "Viewers" } },
        },
      },
      plugins: [marksPlugin],
    });
  }
  activity("chart-activity", data.timeline);
  (data.days || []).forEach((day, i) => activity("chart-day-" + i, day.timeline));

  function bars(id, labels, values, label, colour, horizontal) {
    draw(id, {
      type: "bar",
      data: { labels, datasets: [{ label, data: values, backgroundColor: colour }] },
      options: {
        indexAxis: horizontal ? "y" : "x",
        plugins: { legend: { display: false } },
        scales: { [horizontal ? "x" : "y"]: { beginAtZero: true, ticks: { precision: 0 } } },
      },
    });
  }

  // Axis labels are cut to fit a phone's width (the full text is in the list under each chart).
  const labelLength = window.matchMedia("(max-width: 40rem)").matches ? 18 : 40;
  const cut = (text) => text.length > labelLength ? text.slice(0, labelLength - 1) + "…" : text;
  bars("chart-hashtags", data.hashtags.map((r) => cut("#" + r.tag)), data.hashtags.map((r) => r.posts), "Posts", colours.posts, true);
  bars("chart-polls", data.polls.map((p) => cut(p.question)), data.polls.map((p) => p.answers), "Answers", colours.questions, true);
  bars("chart-moderation", data.moderation.decisions.map((d) => d.kind), data.moderation.decisions.map((d) => d.count), "Decisions", colours.viewers, true);

  const q = data.questions;
  if (q.asked) {
    draw("chart-questions", {
      type: "doughnut",
      data: {
        labels: ["Answered", "Open", "Waiting for approval", "Dismissed"],
        datasets: [{ data: [q.answered, q.open, q.waiting, q.dismissed], backgroundColor: [colours.posts, colours.questions, colours.viewers, colours.muted] }],
      },
      options: { plugins: { legend: { position: "bottom" } } },  // beside the ring, long labels were cut
    });
  }

  if (data.sessions.length) {
    const sessions = data.sessions;
    draw("chart-sessions", {
      type: "bar",
      data: {
        labels: sessions.map((s) => cut(s.title)),
        datasets: [
          { label: "Posts", data: sessions.map((s) => s.posts), backgroundColor: colours.posts },
          { label: "Questions", data: sessions.map((s) => s.questions), backgroundColor: colours.questions },
          { label: "Peak viewers", data: sessions.map((s) => s.peak_viewers), backgroundColor: colours.viewers },
        ],
      },
      options: { scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } },
    });
  }

  // Printing: charts take the printed page's width.
  window.addEventListener("beforeprint", () => charts.forEach((chart) => chart.resize()));
  window.addEventListener("afterprint", () => charts.forEach((chart) => chart.resize()));
  const printButton = document.querySelector("[data-print]");
  if (printButton) {
    printButton.hidden = false;
    printButton.addEventListener("click", () => window.print());
  }

  // The PNG report: the title, the key figures and every chart on one white page.
  function reportCanvas() {
    const width = 1200, margin = 40, inner = width - 2 * margin;
    const figures = Array.from(document.querySelectorAll("[data-figures] > div")).map((div) =>
      div.querySelector("dt").textContent + ": " + div.querySelector("dd").textContent);
    const parts = charts.map((chart) => {
      const figure = chart.canvas.closest("figure");
      const day = chart.canvas.closest(".activity-day");
      const heading = day ? "Activity, " + day.querySelector("h3").textContent.replace(/\s+/g, " ").trim()
        : figure ? figure.querySelector("h2").textContent : "";
      // Wide charts take the page's width; small ones keep at most 1.5 times their size.
      const drawWidth = Math.min(inner, chart.canvas.width * 1.5);
      return { chart, heading, drawWidth, height: Math.round(chart.canvas.height * drawWidth / chart.canvas.width) };
    });
    const height = margin * 2 + 90 + parts.reduce((sum, p) => sum + p.height + 50, 0);
    const canvas = document.createElement("canvas");
    canvas.width = width;
    canvas.height = height;
    const ctx = canvas.getContext("2d");
    // The page's own colours, so the charts' text stays readable on it (light or dark theme).
    const panel = document.querySelector(".panel");
    ctx.fillStyle = panel ? getComputedStyle(panel).backgroundColor : "#ffffff";
    ctx.fillRect(0, 0, width, height);
    ctx.fillStyle = page.color;
    const family = Chart.defaults.font.family;
    ctx.font = "bold 28px " + family;
    ctx.fillText(document.querySelector("h1").textContent, margin, margin + 24);
    ctx.font = "16px " + family;
    ctx.fillText(figures.join(" · "), margin, margin + 60);
    let y = margin + 100;
    for (const part of parts) {
      ctx.font = "bold 20px " + family;
      ctx.fillStyle = page.color;
      ctx.fillText(part.heading, margin, y + 20);
      ctx.drawImage(part.chart.canvas, margin, y + 34, part.drawWidth, part.height);
      y += part.height + 50;
    }
    return canvas;
  }

  const pngButton = document.querySelector("[data-download-png]");
  if (pngButton) {
    pngButton.hidden = false;
    pngButton.addEventListener("click", () => {
      reportCanvas().toBlob((blob) => {
        const link = document.createElement("a");
        link.href = URL.createObjectURL(blob);
        link.download = (data.title.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "") || "analytics") + "-analytics.png";
        document.body.append(link);
        link.click();
        link.remove();
        window.setTimeout(() => URL.revokeObjectURL(link.href), 10000);
      }, "image/png");
    });
  }
})();
