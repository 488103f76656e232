// Progress of long work, reported through a callback so the CLI decides where it goes.

interface ProgressEvent {
  /** What is being done: "export", "import", "import-tinydb". */
  phase: string;
  /** The table or entity type being worked on. */
  subject: string;
  /** Rows or entities done so far in this run, all subjects together. */
  done: number;
}

export type ProgressListener = (event: ProgressEvent) => void;
