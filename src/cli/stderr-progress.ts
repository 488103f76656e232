// Progress of long work on stderr, at most one line every PROGRESS_INTERVAL_MS, so that a
// terminal or a log shows the work moving without being flooded.
import type { ProgressListener } from "../data-movement/progress.js";

const PROGRESS_INTERVAL_MS = 2000;

export function stderrProgress(unit = "rows"): ProgressListener {
  const started = Date.now();
  let last = started;
  return ({ phase, subject, done }) => {
    const now = Date.now();
    if (now - last < PROGRESS_INTERVAL_MS) return;
    last = now;
    const perSecond = Math.round(done / Math.max((now - started) / 1000, 0.001));
    process.stderr.write(
      `casebook ${phase}: ${done.toLocaleString("en")} ${unit} (${subject}), ${perSecond.toLocaleString("en")}/s\n`,
    );
  };
}
