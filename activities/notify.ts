import { Emitter } from '@socket.io/postgres-emitter';
import type pg from 'pg';
import { sessionRoom } from '../core/rooms';

/**
 * Publishes session events to socket.io rooms from a worker, through PostgreSQL NOTIFY; the API
 * instances' postgres adapter delivers them to connected browsers.
 */
export function createPublisher(pool: pg.Pool) {
  const emitter = new Emitter(pool);
  return (sessionId: string, event: string, payload: unknown) => {
    emitter.to(sessionRoom(sessionId)).emit(event, payload);
  };
}
