/** socket.io room of one session; workers publish into it and the API lets owners join it. */
export const sessionRoom = (sessionId: string) => `session:${sessionId}`;

/** Events published into a session room. */
export const SESSION_EVENTS = { state: 'session:state', progress: 'session:progress' } as const;
