// A small fediverse server built on Fedify (@fedify/fedify, npm), software nobody here wrote,
// for the interoperability tests (tests/federation/test_fedify.py). One account, "fred",
// whose keys, signatures, WebFinger lookups and JSON-LD handling are Fedify's own. The test
// drives it over loopback:
//
//   POST /control/follow  {"target": <actor id>}                     fred follows that actor
//   POST /control/note    {"to": <actor id>, "text": "...", "inReplyTo": <note id>?}
//   POST /control/delete  {"note": <note id>, "to": <actor id>}
//   GET  /control/log     what arrived in fred's inboxes (Fedify verified each signature
//                         before its listener ran)
//
// Usage: node tests/interop/fedify_peer.mjs <port>
import http from "node:http";
import { Temporal } from "@js-temporal/polyfill";
import {
  Accept,
  Announce,
  Create,
  Delete,
  Endpoints,
  Follow,
  MemoryKvStore,
  Note,
  Person,
  PUBLIC_COLLECTION,
  Tombstone,
  Undo,
  createFederation,
  generateCryptoKeyPair,
} from "@fedify/fedify";

const port = Number(process.argv[2]);
const origin = `http://127.0.0.1:${port}`;
const received = [];
const notes = new Map();
let keys = null;

const federation = createFederation({
  kv: new MemoryKvStore(),
  // Everything runs on loopback in the tests; Fedify refuses private addresses otherwise.
  allowPrivateAddress: true,
});

federation
  .setActorDispatcher("/users/{identifier}", async (ctx, identifier) => {
    if (identifier !== "fred") return null;
    const pairs = await ctx.getActorKeyPairs(identifier);
    return new Person({
      id: ctx.getActorUri(identifier),
      preferredUsername: identifier,
      name: "Fred Fedify",
      inbox: ctx.getInboxUri(identifier),
      endpoints: new Endpoints({ sharedInbox: ctx.getInboxUri() }),
      publicKey: pairs[0].cryptographicKey,
      assertionMethods: pairs.map((pair) => pair.multikey),
    });
  })
  .setKeyPairsDispatcher(async (ctx, identifier) => {
    if (identifier !== "fred") return [];
    keys ??= await generateCryptoKeyPair("RSASSA-PKCS1-v1_5");
    return [keys];
  });

federation
  .setObjectDispatcher(Note, "/users/{identifier}/notes/{id}", (ctx, values) => {
    return notes.get(values.id) ?? null;
  });

function record(kind) {
  return async (ctx, activity) => {
    const object = await activity.getObject().catch(() => null);
    received.push({
      type: kind,
      id: activity.id?.href ?? null,
      actor: activity.actorId?.href ?? null,
      object: activity.objectId?.href ?? object?.id?.href ?? null,
      innerType: object?.constructor?.name ?? null,
    });
  };
}

federation
  .setInboxListeners("/users/{identifier}/inbox", "/inbox")
  .on(Accept, record("Accept"))
  .on(Announce, record("Announce"))
  .on(Create, record("Create"))
  .on(Delete, record("Delete"))
  .on(Undo, record("Undo"));

async function body(request) {
  const chunks = [];
  for await (const chunk of request) chunks.push(chunk);
  return Buffer.concat(chunks);
}

function answer(response, status, document) {
  response.writeHead(status, { "content-type": "application/json" });
  response.end(JSON.stringify(document));
}

let counter = 0;

async function control(path, input, response) {
  const ctx = federation.createContext(new URL(origin), undefined);
  const fred = { identifier: "fred" };
  const actor = ctx.getActorUri("fred");
  if (path === "/control/follow") {
    const target = await ctx.lookupObject(input.target);
    if (target == null) return answer(response, 404, { error: "not found" });
    const follow = new Follow({
      id: new URL(`${actor.href}/follows/${++counter}`),
      actor,
      object: target.id,
    });
    await ctx.sendActivity(fred, target, follow);
    return answer(response, 200, { follow: follow.id.href, target: target.id.href });
  }
  if (path === "/control/note") {
    const recipient = await ctx.lookupObject(input.to);
    if (recipient == null) return answer(response, 404, { error: "not found" });
    const id = String(++counter);
    const note = new Note({
      id: new URL(`${actor.href}/notes/${id}`),
      attribution: actor,
      to: PUBLIC_COLLECTION,
      cc: recipient.id,
      content: `<p>${input.text}</p>`,
      replyTarget: input.inReplyTo ? new URL(input.inReplyTo) : null,
      published: Temporal.Now.instant(),
    });
    notes.set(id, note);
    const create = new Create({
      id: new URL(`${note.id.href}/activity`),
      actor,
      object: note,
      tos: [PUBLIC_COLLECTION],
      ccs: [recipient.id],
    });
    await ctx.sendActivity(fred, recipient, create);
    return answer(response, 200, { note: note.id.href });
  }
  if (path === "/control/delete") {
    const recipient = await ctx.lookupObject(input.to);
    const noteId = new URL(input.note);
    notes.delete(noteId.pathname.split("/").pop());
    const deletion = new Delete({
      id: new URL(`${noteId.href}/delete`),
      actor,
      object: new Tombstone({ id: noteId }),
      tos: [PUBLIC_COLLECTION],
    });
    await ctx.sendActivity(fred, recipient, deletion);
    return answer(response, 200, { deleted: noteId.href });
  }
  return answer(response, 404, { error: "no such control" });
}

const server = http.createServer(async (request, response) => {
  try {
    const url = new URL(request.url, origin);
    const payload = await body(request);
    if (url.pathname === "/control/log") return answer(response, 200, received);
    if (url.pathname.startsWith("/control/")) {
      return await control(url.pathname, JSON.parse(payload.toString() || "{}"), response);
    }
    const fetched = await federation.fetch(
      new Request(url, {
        method: request.method,
        headers: request.headers,
        body: ["GET", "HEAD"].includes(request.method) ? undefined : payload,
      }),
      { contextData: undefined },
    );
    response.writeHead(fetched.status, Object.fromEntries(fetched.headers));
    response.end(Buffer.from(await fetched.arrayBuffer()));
  } catch (error) {
    answer(response, 500, { error: String(error?.stack ?? error) });
  }
});

server.listen(port, "127.0.0.1", () => {
  console.log(`fedify peer listening on ${origin}`);
});
