/* One stream of the signed-in person's private topic (notifications, direct messages) shared
 * by all their tabs: a browser allows few connections per site, and every tab opening its own
 * would use them up. Each page connects a port; the worker relays every event to all ports.
 * The worker is named after the person (see me.js), so another account never shares it. */
"use strict";

const TYPES = ["notification.created", "notification.read", "dm.created", "dm.read", "notice.created"];
const ports = new Set();
let source = null;
let lastId = "";
let retryDelay = 1000;

function broadcast(message) {
  for (const port of ports) port.postMessage(message);
}

function connect() {
  const url = "/api/v1/me/stream" + (lastId ? "?since=" + encodeURIComponent(lastId) : "");
  source = new EventSource(url, { withCredentials: true });
  source.onopen = () => { retryDelay = 1000; broadcast({ type: "stream.state", data: "live" }); };
  source.onerror = () => {
    broadcast({ type: "stream.state", data: "reconnecting" });
    if (source.readyState === EventSource.CLOSED) {
      // Refused (signed out, account closing) or the server is away: try again later, from
      // the last event seen.
      source = null;
      setTimeout(connect, retryDelay);
      retryDelay = Math.min(retryDelay * 2, 60000);
    }
  };
  for (const type of TYPES) {
    source.addEventListener(type, (event) => {
      lastId = event.lastEventId || lastId;
      broadcast({ type, data: event.data });
    });
  }
}

self.onconnect = (event) => {
  const port = event.ports[0];
  ports.add(port);
  port.onmessage = (message) => { if (message.data === "bye") ports.delete(port); };
  port.start();
  if (!source) connect();
};
