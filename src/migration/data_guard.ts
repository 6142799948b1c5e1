/**
 * The data section may not control the transaction apply runs it in. Every statement of it is
 * split and classified by PostgreSQL's own parser (strings, dollar quotes and comments are read
 * by the real lexer), and anything that could end, split or escape the transaction — COMMIT,
 * ROLLBACK, SAVEPOINT, PREPARE TRANSACTION, SET TRANSACTION, CALL, a DO block that commits,
 * statements PostgreSQL refuses inside a transaction block, psql meta-commands — is refused with
 * its file:line before anything runs. Pure: no I/O beyond the parser's WASM module.
 * @module
 */
import { PgcError } from "../model/errors.ts";
import { parsePlpgsql, type ParseResult, parseSql, type ScanResult, scanSql } from "../model/sql_parser.ts";

/** One statement of the data section, exactly as PostgreSQL's parser delimits it. */
export interface DataStatement {
  /** The statement's text (without the `;` that ends it). */
  sql: string;
  /** 1-based line of the migration file on which the statement starts. */
  line: number;
}

type Node = Record<string, unknown>;
type Token = ScanResult["tokens"][number];

/** PostgreSQL's message for a parse failure, in words a reader can use. */
function parseMessage(e: unknown): string {
  return `PostgreSQL cannot parse it: ${e instanceof Error ? e.message : String(e)}`;
}

/** Maps UTF-8 byte offsets of the data section's text to lines of the migration file. */
class Lines {
  private readonly bytes: Uint8Array;
  private readonly breaks: number[] = [];
  private readonly decoder = new TextDecoder();
  /** `text`: the data section; `first`: the file line its first line is on. */
  constructor(text: string, private readonly first: number) {
    this.bytes = new TextEncoder().encode(text);
    this.bytes.forEach((b, i) => b === 0x0a && this.breaks.push(i));
  }
  /** How many line breaks come before byte offset `at`. */
  private before(at: number): number {
    let lo = 0;
    let hi = this.breaks.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.breaks[mid] < at) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
  /** File line of byte offset `at`. */
  lineAt(at: number): number {
    return this.first + this.before(at);
  }
  /** Text between two byte offsets. */
  slice(start: number, end?: number): string {
    return this.decoder.decode(this.bytes.subarray(start, end));
  }
  /** Length in bytes. */
  get length(): number {
    return this.bytes.length;
  }
}

const COMMENT = new Set(["SQL_COMMENT", "C_COMMENT"]);

function refuse(file: string, line: number, message: string, hint: string): PgcError {
  return new PgcError("data_section_refused", `${file}:${line}: ${message}; nothing was run.`, { hint });
}

const KEEP_INSIDE = "The data section runs inside the transaction apply opens and verifies; " +
  "it may only change rows (UPDATE, INSERT, DELETE, SELECT …). Remove this statement.";

/**
 * The file line of a lexer error. PostgreSQL quotes the text "at or near" the error: for an
 * unterminated string, quoted identifier, dollar quote or comment that is the rest of the text
 * from where it opens; otherwise the token itself (its first occurrence).
 */
function lexFailureLine(text: string, first: number, message: string): number {
  const near = message.match(/at or near "([\s\S]*)"$/)?.[1];
  if (near === undefined || near === "") return first;
  const at = text.endsWith(near) ? text.length - near.length : text.indexOf(near);
  if (at < 0) return first;
  return first + (text.slice(0, at).match(/\n/g)?.length ?? 0);
}

/** Whether the text parses. */
function parses(text: string): boolean {
  try {
    parseSql(text);
    return true;
  } catch {
    return false;
  }
}

/**
 * The statement a parse error is in. The text is cut at its top-level `;` tokens into chunks; the
 * first chunk after the longest prefix that parses holds the error, unless it is the start of a
 * statement with `;` inside (BEGIN ATOMIC … END) that parses once extended. Found by bisection,
 * so a long data section is parsed a few times, not once per statement.
 */
function failingStatementLine(
  tokens: Token[],
  lines: Lines,
  whole: unknown,
): { line: number; message: string } {
  const cuts: Array<{ start: number; end: number }> = [];
  let start = 0;
  for (const t of tokens) {
    if (t.text === ";" && t.tokenName === "ASCII_59") {
      cuts.push({ start, end: t.end });
      start = t.end;
    }
  }
  if (start < lines.length) cuts.push({ start, end: lines.length });
  const prefixParses = (k: number) => k < 0 || parses(lines.slice(0, cuts[k].end));
  let lo = -1; // a prefix through chunk `lo` parses
  for (;;) {
    let hi = cuts.length - 1; // the whole text does not
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (prefixParses(mid)) lo = mid;
      else hi = mid;
    }
    // Chunk `hi` starts the failing statement, unless it continues into later chunks and then parses.
    let joined = -1;
    for (let j = hi + 1; j < cuts.length && j <= hi + 50 && joined < 0; j++) {
      if (parses(lines.slice(cuts[hi].start, cuts[j].end)) && prefixParses(j)) joined = j;
    }
    if (joined < 0 || joined === cuts.length - 1) {
      // PostgreSQL's message for that statement alone (the whole text's when it parses alone).
      let error: unknown = whole;
      try {
        parseSql(lines.slice(cuts[hi].start, cuts[hi].end));
      } catch (e) {
        error = e;
      }
      const first = tokens.find((t) => t.start >= cuts[hi].start && !COMMENT.has(t.tokenName));
      return { line: lines.lineAt(first?.start ?? cuts[hi].start), message: parseMessage(error) };
    }
    lo = joined;
  }
}

/** A short quote of a statement for messages: its first line, trimmed. */
function quoteOf(sql: string): string {
  const first = sql.trim().split("\n")[0];
  return first.length > 60 ? `${first.slice(0, 57)}…` : first;
}

const TRANSACTION_WORDS: Record<string, string> = {
  TRANS_STMT_BEGIN: "starts a transaction",
  TRANS_STMT_START: "starts a transaction",
  TRANS_STMT_COMMIT: "commits the transaction",
  TRANS_STMT_ROLLBACK: "rolls back the transaction",
  TRANS_STMT_SAVEPOINT: "sets a savepoint",
  TRANS_STMT_RELEASE: "releases a savepoint",
  TRANS_STMT_ROLLBACK_TO: "rolls back to a savepoint",
  TRANS_STMT_PREPARE: "prepares the transaction for two-phase commit",
  TRANS_STMT_COMMIT_PREPARED: "commits a prepared transaction",
  TRANS_STMT_ROLLBACK_PREPARED: "rolls back a prepared transaction",
};

/** Why a top-level statement may not run in the data section, or undefined when it may. */
function refusal(node: Node): { why: string; hint: string } | undefined {
  const [kind] = Object.keys(node);
  const s = (node[kind] ?? {}) as Node;
  const tx = " (apply runs the whole migration in one transaction it opens, verifies and ends itself)";
  switch (kind) {
    case "TransactionStmt":
      return { why: `it ${TRANSACTION_WORDS[String(s.kind)] ?? "controls the transaction"}${tx}`, hint: KEEP_INSIDE };
    case "VariableSetStmt": {
      const name = String(s.name ?? "").toUpperCase();
      if (name.startsWith("TRANSACTION") || name === "SESSION CHARACTERISTICS") {
        return { why: `it sets the transaction's characteristics${tx}`, hint: KEEP_INSIDE };
      }
      return undefined;
    }
    case "CallStmt":
      return {
        why: "it calls a procedure, which may COMMIT or ROLLBACK: pgconverge cannot prove it keeps the transaction",
        hint: "Write the procedure's UPDATE/INSERT/DELETE statements in the data section itself, or run the " +
          "procedure outside the migration.",
      };
    case "VacuumStmt":
      return s.is_vacuumcmd ? notInBlock("VACUUM") : undefined;
    case "IndexStmt":
      return s.concurrent ? notInBlock("CREATE INDEX CONCURRENTLY") : undefined;
    case "DropStmt":
      return s.concurrent ? notInBlock("DROP INDEX CONCURRENTLY") : undefined;
    case "ReindexStmt": {
      const params = (s.params as Node[] | undefined) ?? [];
      const concurrently = params.some((p) => (p.DefElem as Node | undefined)?.defname === "concurrently");
      if (concurrently) return notInBlock("REINDEX CONCURRENTLY");
      return s.kind === "REINDEX_OBJECT_DATABASE" || s.kind === "REINDEX_OBJECT_SYSTEM"
        ? notInBlock("REINDEX DATABASE/SYSTEM")
        : undefined;
    }
    case "ClusterStmt":
      return s.relation ? undefined : notInBlock("CLUSTER without a table");
    case "CreatedbStmt":
    case "DropdbStmt":
    case "AlterSystemStmt":
    case "CreateTableSpaceStmt":
    case "DropTableSpaceStmt":
    case "CreateSubscriptionStmt":
    case "AlterSubscriptionStmt":
    case "DropSubscriptionStmt":
      return notInBlock(kind.replace(/Stmt$/, ""));
    case "DiscardStmt":
      return s.target === "DISCARD_ALL" ? notInBlock("DISCARD ALL") : undefined;
    case "CopyStmt":
      return s.filename || s.is_program ? undefined : {
        why: `COPY … ${s.is_from ? "FROM STDIN" : "TO STDOUT"} needs a client such as psql to stream the rows`,
        hint: "Write the rows as INSERT statements, or COPY from a file the server can read.",
      };
    default:
      return undefined;
  }
}

function notInBlock(what: string): { why: string; hint: string } {
  return {
    why: `${what} cannot run inside a transaction block, and the data section runs in apply's transaction`,
    hint: "Run it outside the migration, before or after apply.",
  };
}

/** The language and body of a DO statement (PL/pgSQL unless it says otherwise). */
function doParts(s: Node): { language: string; bodyAt?: number } {
  let language = "plpgsql";
  let bodyAt: number | undefined;
  for (const a of (s.args as Node[] | undefined) ?? []) {
    const d = a.DefElem as Node | undefined;
    if (!d) continue;
    if (d.defname === "language") {
      language = String((d.arg as Node)?.String ? ((d.arg as Node).String as Node).sval : "");
    }
    if (d.defname === "as") bodyAt = typeof d.location === "number" ? d.location : undefined;
  }
  return { language: language.toLowerCase(), bodyAt };
}

/** PL/pgSQL statements inside a body that end or escape the transaction, with their body line. */
function plpgsqlEscapes(tree: unknown): Array<{ kind: string; lineno: number }> {
  const out: Array<{ kind: string; lineno: number }> = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) return v.forEach(walk);
    if (typeof v !== "object" || v === null) return;
    for (const [k, child] of Object.entries(v as Node)) {
      if (k === "PLpgSQL_stmt_commit" || k === "PLpgSQL_stmt_rollback" || k === "PLpgSQL_stmt_call") {
        out.push({ kind: k, lineno: Number((child as Node)?.lineno ?? 1) });
      }
      walk(child);
    }
  };
  walk(tree);
  return out;
}

/** A DO block's refusal: another language, a body that does not parse, or one that commits/rolls back/calls. */
function doRefusal(
  stmtSql: string,
  s: Node,
  stmtStart: number,
  lines: Lines,
): { line: number; why: string; hint: string } | undefined {
  const { language, bodyAt } = doParts(s);
  const line = lines.lineAt(stmtStart);
  if (language !== "plpgsql") {
    return {
      line,
      why: `it is a DO block in ${language}, which pgconverge cannot look inside to prove it keeps the transaction`,
      hint: "Write the block in PL/pgSQL (LANGUAGE plpgsql) or as plain statements.",
    };
  }
  let tree: unknown;
  try {
    tree = parsePlpgsql(stmtSql);
  } catch (e) {
    return {
      line,
      why: `its DO block does not parse as PL/pgSQL (${e instanceof Error ? e.message : String(e)})`,
      hint: "Fix the block; PostgreSQL would refuse it too.",
    };
  }
  const [escape] = plpgsqlEscapes(tree);
  if (!escape) return undefined;
  const bodyLine = bodyAt === undefined ? line : lines.lineAt(bodyAt);
  const what = escape.kind === "PLpgSQL_stmt_call"
    ? "its DO block calls a procedure, which may COMMIT or ROLLBACK"
    : `its DO block ${escape.kind === "PLpgSQL_stmt_commit" ? "commits" : "rolls back"} the transaction`;
  return {
    line: bodyLine + escape.lineno - 1,
    why: `${what} (apply runs the whole migration in one transaction it opens, verifies and ends itself)`,
    hint: KEEP_INSIDE,
  };
}

/**
 * Split a data section into its statements and refuse any that could control the transaction.
 * `firstLine` is the file line the text starts on, `file` the path for messages.
 *
 * @example
 * ```ts
 * await ensureSqlParser();
 * guardDataSection("UPDATE t SET k = 'b';\n", 12, "m.sql"); // [{ sql: "UPDATE t SET k = 'b'", line: 12 }]
 * guardDataSection("DELETE FROM t; COMMIT;\n", 12, "m.sql"); // throws data_section_refused "m.sql:12: …"
 * ```
 */
export function guardDataSection(text: string, firstLine: number, file: string): DataStatement[] {
  const lines = new Lines(text, firstLine);
  let tokens: Token[];
  try {
    tokens = text.trim() === "" ? [] : scanSql(text).tokens;
  } catch (e) {
    throw new PgcError(
      "migration_invalid",
      `${file}:${lexFailureLine(text, firstLine, e instanceof Error ? e.message : "")}: the data section does not ` +
        `parse: ${parseMessage(e)}.`,
      { hint: "Fix the statement at that line (PostgreSQL would refuse it too); nothing was run." },
    );
  }
  // psql reads backslash commands itself (the server's grammar has no place for a bare backslash).
  for (const t of tokens) {
    if (t.text === "\\") {
      const command = lines.slice(t.start).split("\n")[0].trim();
      throw refuse(
        file,
        lines.lineAt(t.start),
        `the data section holds the psql meta-command ${JSON.stringify(command)}, which only psql understands`,
        "Write plain SQL statements: apply sends the data section to the server, not to psql.",
      );
    }
  }
  if (!tokens.some((t) => !COMMENT.has(t.tokenName))) return [];
  let tree: ParseResult;
  try {
    tree = parseSql(text);
  } catch (e) {
    const at = failingStatementLine(tokens, lines, e);
    throw new PgcError("migration_invalid", `${file}:${at.line}: the data section does not parse: ${at.message}.`, {
      hint: "Fix the statement at that line (PostgreSQL would refuse it too); nothing was run.",
    });
  }
  const out: DataStatement[] = [];
  // Statements come in order: one walk over the tokens finds each one's first token.
  let k = 0;
  for (const raw of tree.stmts ?? []) {
    const start = raw.stmt_location ?? 0;
    const end = raw.stmt_len ? start + raw.stmt_len : lines.length;
    while (k < tokens.length && (tokens[k].start < start || COMMENT.has(tokens[k].tokenName))) k++;
    const first = tokens[k];
    const from = first?.start ?? start;
    const sql = lines.slice(from, end).trim();
    const line = lines.lineAt(from);
    const node = raw.stmt as unknown as Node;
    const r = refusal(node);
    if (r) throw refuse(file, line, `${JSON.stringify(quoteOf(sql))} is refused in the data section: ${r.why}`, r.hint);
    if (node.DoStmt) {
      const d = doRefusal(sql, node.DoStmt as Node, from, lines);
      if (d) {
        throw refuse(file, d.line, `${JSON.stringify(quoteOf(sql))} is refused in the data section: ${d.why}`, d.hint);
      }
    }
    out.push({ sql, line });
  }
  return out;
}
