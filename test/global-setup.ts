// Replaced shortly by the real setup that starts PostgreSQL and Temporal for integration tests.
export default function setup() {}
