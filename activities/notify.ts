import { encode } from '@msgpack/msgpack';
import type pg from 'pg';
import type { Logger } from '../core/log';
import { sessionRoom } from '../core/rooms';

/**
 * Publishes session events to socket.io rooms from a worker. It speaks the message format of
 * @socket.io/postgres-adapter (the API instances' adapter) over PostgreSQL NOTIFY; payloads too
 * large for NOTIFY travel through the adapter's attachments table, as the adapter does itself.
 * (The published @socket.io/postgres-emitter omits the namespace that current adapters require.)
 */

const CHANNEL = 'socket.io#/';
const ATTACHMENTS_TABLE = 'socket_io_attachments';
/** PostgreSQL refuses NOTIFY payloads of 8000 bytes or more; keep a margin below. */
const PAYLOAD_THRESHOLD = 7900;
const EMITTER_UID = 'emitter';
const BROADCAST = 3;
const EVENT_PACKET = 2;

export function broadcastMessage(room: string, event: string, payload: unknown) {
  return {
    uid: EMITTER_UID,
    nsp: '/',
    type: BROADCAST,
    data: {
      packet: { type: EVENT_PACKET, data: [event, payload], nsp: '/' },
      opts: { rooms: [room], except: [], flags: {} },
    },
  };
}

export function createPublisher(pool: pg.Pool, log?: Logger) {
  const send = async (message: ReturnType<typeof broadcastMessage>) => {
    const text = JSON.stringify(message);
    if (Buffer.byteLength(text) < PAYLOAD_THRESHOLD) {
      await pool.query('SELECT pg_notify($1, $2)', [CHANNEL, text]);
      return;
    }
    const { rows } = await pool.query<{ id: string }>(
      `INSERT INTO ${ATTACHMENTS_TABLE} (payload) VALUES ($1) RETURNING id`,
      [Buffer.from(encode(message))],
    );
    const header = { uid: EMITTER_UID, type: BROADCAST, attachmentId: rows[0]!.id };
    await pool.query('SELECT pg_notify($1, $2)', [CHANNEL, JSON.stringify(header)]);
  };
  // Progress is best effort: a lost notice must never fail the activity that made it.
  return (sessionId: string, event: string, payload: unknown) => {
    send(broadcastMessage(sessionRoom(sessionId), event, payload)).catch((error: unknown) =>
      log?.warn('could not publish a session event', { sessionId, event, error }),
    );
  };
}
