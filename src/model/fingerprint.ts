/**
 * Fingerprints: order-independent hashes of a snapshot's canonical definitions. A migration file
 * records the fingerprint it was planned `from` and the one it must reach (`to`).
 * @module
 */
import { definitionOf } from "./definition.ts";
import { sha256 } from "./hash.ts";
import { compareIds, type DbObject, type Snapshot } from "./snapshot.ts";

/** The line hashed for one object: id and definition (column position is not part of it). */
function objectLine(o: DbObject): string {
  return `${o.id}\t${definitionOf(o)}`;
}

/** Fingerprint of a whole snapshot: `sha256:<hex>` over its sorted object lines. */
export async function fingerprint(snap: Snapshot): Promise<string> {
  const lines = [...snap.objects.values()].sort((a, b) => compareIds(a.id, b.id)).map(objectLine);
  return "sha256:" + await sha256(`schemas\t${snap.schemas.join(",")}\n` + lines.join("\n"));
}

/** Short fingerprint of one object's definition (16 hex digits), for per-object expectations. */
export async function objectHash(o: DbObject): Promise<string> {
  return (await sha256(objectLine(o))).slice(0, 16);
}
