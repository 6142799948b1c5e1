/**
 * The documentation a clone of the repository carries must be whole: every relative link in
 * README.md and docs/*.md resolves to a file inside the repository, every `#anchor` to a heading of
 * the page it names, and nothing points into `../shared`, a folder users do not have. Pure: reads
 * files, needs no server.
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { dirname, join, normalize, relative } from "node:path";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

/** A link found in a markdown page. */
interface Link {
  /** The target as written. */
  target: string;
  /** 1-based line it is on. */
  line: number;
}

/** The page's text without fenced code blocks (kept as blank lines, so line numbers stay right). */
function withoutFences(text: string): string[] {
  let fence: string | undefined;
  return text.split("\n").map((line) => {
    const m = /^\s{0,3}(`{3,}|~{3,})/.exec(line);
    if (fence === undefined && m) {
      fence = m[1];
      return "";
    }
    if (fence !== undefined) {
      if (m && m[1][0] === fence[0] && m[1].length >= fence.length && line.trim() === m[1]) fence = undefined;
      return "";
    }
    return line;
  });
}

/** Inline code spans removed, so `[x](y)` written as code is not taken for a link. */
function withoutCodeSpans(line: string): string {
  return line.replace(/(`+)[^`]*?\1/g, "");
}

/** Every link target of a page: inline links and images, reference definitions, HTML href/src. */
function linksOf(text: string): Link[] {
  const out: Link[] = [];
  withoutFences(text).forEach((raw, i) => {
    const line = withoutCodeSpans(raw);
    const add = (target: string) => out.push({ target: target.trim(), line: i + 1 });
    for (const m of line.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) add(m[1]);
    const ref = /^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(\s|$)/.exec(line);
    if (ref) add(ref[1]);
    for (const m of line.matchAll(/\b(?:href|src)\s*=\s*"([^"]+)"/g)) add(m[1]);
  });
  return out;
}

/** GitHub's anchor for a heading: inline markup dropped, lower case, punctuation removed, spaces → `-`. */
function slug(heading: string): string {
  const text = heading
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/`([^`]*)`/g, "$1")
    .replace(/<[^>]+>/g, "")
    .replace(/[*~]/g, "");
  return text.trim().toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, "").replace(/\s/g, "-");
}

/** The anchors of a page's ATX headings, numbered the way GitHub numbers repeated ones (`x`, `x-1`, …). */
function anchorsOf(text: string): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  for (const line of withoutFences(text)) {
    const m = /^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!m) continue;
    const base = slug(m[1]);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    out.add(n === 0 ? base : `${base}-${n}`);
  }
  return out;
}

/** What is wrong with one link of `page` (a path relative to the repository), or undefined. */
function problemOf(
  page: string,
  link: string,
  read: (path: string) => string | undefined,
  exists: (path: string) => boolean,
): string | undefined {
  if (/^[a-z][a-z0-9+.-]*:/i.test(link)) return undefined; // https:, mailto:
  if (link.includes("shared/") && link.includes("..")) return "points into ../shared, which a clone does not have";
  const hash = link.indexOf("#");
  const path = hash < 0 ? link : link.slice(0, hash);
  const anchor = hash < 0 ? undefined : decodeURIComponent(link.slice(hash + 1));
  const target = path === "" ? page : normalize(join(dirname(page), decodeURIComponent(path)));
  if (target.startsWith("..") || target.startsWith("/")) return "points outside the repository";
  if (!exists(target)) return `${target} does not exist`;
  if (anchor === undefined || anchor === "") return undefined;
  if (!target.endsWith(".md")) return `#${anchor} on a file that is not markdown`;
  const text = read(target);
  if (text === undefined) return `${target} cannot be read`;
  return anchorsOf(text).has(anchor) ? undefined : `${target} has no heading #${anchor}`;
}

/** README.md and docs/*.md, as repository-relative paths. */
function pages(): string[] {
  const docs = [...Deno.readDirSync(join(ROOT, "docs"))]
    .filter((e) => e.isFile && e.name.endsWith(".md"))
    .map((e) => `docs/${e.name}`)
    .sort();
  return ["README.md", ...docs];
}

function readRepo(path: string): string | undefined {
  try {
    return Deno.readTextFileSync(join(ROOT, path));
  } catch {
    return undefined;
  }
}

function existsInRepo(path: string): boolean {
  try {
    Deno.statSync(join(ROOT, path));
    return true;
  } catch {
    return false;
  }
}

Deno.test("slug() gives GitHub's anchors for headings with code, punctuation and links", () => {
  assert.equal(slug("The sql escape hatch"), "the-sql-escape-hatch");
  assert.equal(slug("`render --check`"), "render---check");
  assert.equal(slug("Schemas, extensions, roles and grants"), "schemas-extensions-roles-and-grants");
  assert.equal(slug("Apply: converge or roll back"), "apply-converge-or-roll-back");
  assert.equal(slug("[Design](design.md) notes"), "design-notes");
  assert.equal(slug("snake_case stays"), "snake_case-stays");
});

Deno.test("anchorsOf() numbers repeated headings and ignores # lines inside code fences", () => {
  const text = "# A\n\n```yaml\n# not a heading\n```\n\n## A\n### B c\n";
  assert.deepEqual([...anchorsOf(text)].sort(), ["a", "a-1", "b-c"]);
});

Deno.test("linksOf() finds inline, reference and HTML links, not those in code", () => {
  const text = [
    'See [cli](docs/cli.md#plan) and ![img](a.png "title").',
    "[ref]: docs/design.md",
    '<a href="docs/ci.md">ci</a> and `[code](not/a/link.md)`',
    "```md",
    "[fenced](nope.md)",
    "```",
  ].join("\n");
  assert.deepEqual(linksOf(text).map((l) => `${l.line}:${l.target}`), [
    "1:docs/cli.md#plan",
    "1:a.png",
    "2:docs/design.md",
    "3:docs/ci.md",
  ]);
});

Deno.test("problemOf() reports missing files, missing anchors, ../shared and paths outside the repository", () => {
  const files: Record<string, string> = { "docs/cli.md": "# Command line\n## plan\n", "README.md": "# x\n" };
  const read = (p: string) => files[p];
  const exists = (p: string) => p in files || p === "docs";
  assert.equal(problemOf("README.md", "docs/cli.md#plan", read, exists), undefined);
  assert.equal(problemOf("docs/cli.md", "#command-line", read, exists), undefined);
  assert.equal(problemOf("docs/cli.md", "../README.md", read, exists), undefined);
  assert.equal(problemOf("README.md", "https://pglite.dev", read, exists), undefined);
  assert.match(problemOf("README.md", "docs/cli.md#apply", read, exists)!, /no heading #apply/);
  assert.match(problemOf("README.md", "docs/gone.md", read, exists)!, /does not exist/);
  assert.match(problemOf("README.md", "../shared/SCHEMA_YAML.md", read, exists)!, /\.\.\/shared/);
  assert.match(problemOf("docs/cli.md", "../../elsewhere.md", read, exists)!, /outside the repository/);
});

Deno.test("every relative link in README.md and docs/*.md resolves inside the repository", () => {
  const checked = pages();
  assert.ok(checked.length > 1, "docs/ holds no markdown page");
  const problems: string[] = [];
  let links = 0;
  for (const page of checked) {
    for (const link of linksOf(readRepo(page)!)) {
      links++;
      const problem = problemOf(page, link.target, readRepo, existsInRepo);
      if (problem) problems.push(`${page}:${link.line}: ${link.target}: ${problem}`);
    }
  }
  assert.deepEqual(problems, []);
  assert.ok(links > 0, "no links were found at all");
});

Deno.test("README.md and docs/*.md never mention ../shared, which a clone does not have", () => {
  const mentions = pages().flatMap((page) =>
    readRepo(page)!.split("\n").flatMap((line, i) => line.includes("../shared") ? [`${page}:${i + 1}: ${line}`] : [])
  );
  assert.deepEqual(mentions, []);
});

Deno.test("README.md links every page of docs/", () => {
  const linked = new Set(
    linksOf(readRepo("README.md")!).map((l) => normalize(l.target.replace(/#.*$/, ""))),
  );
  const unlinked = pages().filter((p) => p !== "README.md" && !linked.has(relative(".", p)));
  assert.deepEqual(unlinked, []);
});
