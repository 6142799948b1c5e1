/** Serial columns: the owned sequence's name, which only the source database knows. @module */
import type { Snapshot } from "./snapshot.ts";

/**
 * A snapshot reloaded in the shadow names a serial column's sequence `<table>_<column>_seq`
 * whatever the source called it: keep the source's name (it is not compared, only used to drop
 * the sequence when the column stops being serial).
 */
export function keepSerialSequences(snap: Snapshot, source: Snapshot): void {
  for (const o of snap.objects.values()) {
    if (o.kind !== "column" || o.serialSequence === undefined) continue;
    const s = source.objects.get(o.id);
    if (s?.kind === "column" && s.serialSequence) snap.objects.set(o.id, { ...o, serialSequence: s.serialSequence });
  }
}
