/* One stream of the signed-in person's private topic (notifications, direct messages) shared
 * by all their tabs: a browser allows few connections per site, and every tab opening its own
 * would use them up. Each page connects a port; the worker relays every event to all ports.
 * The worker is named after the person (see me.js), so another account never shares it. */
"use strict";

importScripts("live.js"); // Backchannel.stream: the reconnecting stream every page uses

const TYPES = ["notification.created", "notification.read", "dm.created", "dm.read", "notice.created"];
const ports = new Set();
let live = null;

function broadcast(message) {
  for (const port of ports) port.postMessage(message);
}

function connect() {
  // Refused (signed out, account closing) or the server away: it tries again later, from the
  // last event seen.
  const on = {};
  for (const type of TYPES) on[type] = (data) => broadcast({ type, data });
  live = self.Backchannel.stream({
    url: (position) => "/api/v1/me/stream" + self.Backchannel.since(position),
    on,
    raw: true, // pages parse what they get (me.js)
    maxDelay: 60000,
    onState: (state) => broadcast({ type: "stream.state", data: state }),
  });
}

self.onconnect = (event) => {
  const port = event.ports[0];
  ports.add(port);
  port.onmessage = (message) => { if (message.data === "bye") ports.delete(port); };
  port.start();
  if (!live) connect();
};
