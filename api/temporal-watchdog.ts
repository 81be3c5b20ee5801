import { InterceptingCall, status, type Interceptor } from '@grpc/grpc-js';

/**
 * Every call the API makes to Temporal has a deadline, and a call to a Temporal that has stopped
 * answering ends within about two seconds.
 *
 * A frozen server (a stopped process, a hung host) still accepts TCP connections, so a call on
 * an open channel waits for an answer that never comes; gRPC's own deadline would have to be
 * long, because an update legitimately waits for a busy worker. So a call not answered after
 * `probeAfterMs` asks the server's health service, with a short deadline, whether it is alive,
 * and asks again every `probeAfterMs` while the call lasts. When two probes in a row get no
 * answer (one slow answer on a loaded machine is not a dead server), the call ends with
 * DEADLINE_EXCEEDED, which the API answers with 503 SERVICE_UNAVAILABLE. A server that answers
 * is busy, not gone: the call goes on until its own deadline (`deadlineMs` when its caller set
 * none). Concurrent calls share one probe.
 */
export interface WatchdogOptions {
  /** Resolves when the server answers (whatever it says); rejects when it does not in time. */
  probe: () => Promise<unknown>;
  probeAfterMs: number;
  /** The deadline of a call whose caller set none. */
  deadlineMs: number;
}

const HEALTH_CHECK = '/grpc.health.v1.Health/Check';
const MISSED_PROBES = 2;

export function temporalWatchdog(options: WatchdogOptions): Interceptor {
  let probing: Promise<boolean> | undefined;
  const serverAnswers = () => {
    probing ??= options
      .probe()
      .then(
        () => true,
        () => false,
      )
      .finally(() => {
        probing = undefined;
      });
    return probing;
  };

  return (callOptions, nextCall) => {
    const isProbe = callOptions.method_definition.path === HEALTH_CHECK;
    const deadline = callOptions.deadline ?? Date.now() + options.deadlineMs;
    let answered = false;
    let timer: NodeJS.Timeout | undefined;
    let missed = 0;
    const watch = (afterMs: number) => {
      timer = setTimeout(() => {
        void serverAnswers().then((alive) => {
          if (answered) return;
          missed = alive ? 0 : missed + 1;
          if (missed >= MISSED_PROBES) {
            call.cancelWithStatus(status.DEADLINE_EXCEEDED, 'Temporal is not answering');
          } else {
            // A missed probe is asked again at once; an answered one after the usual pause.
            watch(missed ? 0 : options.probeAfterMs);
          }
        });
      }, afterMs);
    };
    const call = new InterceptingCall(nextCall({ ...callOptions, deadline }), {
      start(metadata, _listener, next) {
        if (!isProbe) watch(options.probeAfterMs);
        next(metadata, {
          onReceiveStatus(received, nextStatus) {
            answered = true;
            clearTimeout(timer);
            nextStatus(received);
          },
        });
      },
    });
    return call;
  };
}
