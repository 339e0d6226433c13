import type * as TS from 'typescript';

/** The names `tsrpc-cli` reads as the base of every request, response, API config and message. */
const BASE_NAMES = ['BaseRequest', 'BaseResponse', 'BaseConf', 'BaseMessage'];

/** What the merge changed: the new text, and each thing it added, e.g. `BaseResponse.__sessionTicket`. */
export interface MergeResult {
    text: string;
    added: string[];
}

interface Insertion {
    at: number;
    /** Characters after `at` replaced by `text` (whitespace-only gaps before a closing brace). */
    replace: number;
    text: string;
}

type Declaration = TS.InterfaceDeclaration | TS.TypeAliasDeclaration;

/**
 * Adds to `current` (an app's base.ts) every declaration and member of `template` (the package's
 * base.ts) it lacks, keeping everything else byte for byte: the app's own fields, comments and
 * formatting. Positions come from the TypeScript AST, so no regex guesses at where an interface ends.
 * Running it again on its own output adds nothing.
 */
export function mergeBase(ts: typeof TS, current: string, template: string): MergeResult {
    const app = ts.createSourceFile('base.ts', current, ts.ScriptTarget.Latest, true);
    const ours = ts.createSourceFile('template.ts', template, ts.ScriptTarget.Latest, true);
    const appDeclarations = declarationsOf(ts, app);
    const insertions: Insertion[] = [];
    const added: string[] = [];
    const appended: string[] = [];

    for (const [name, wanted] of declarationsOf(ts, ours)) {
        const existing = appDeclarations.get(name);
        if (existing === undefined) {
            appended.push(statementText(wanted, ours, ts));
            added.push(BASE_NAMES.includes(name) ? name : `type ${name}`);
            continue;
        }
        const wantedMembers = membersOf(ts, wanted);
        const existingMembers = membersOf(ts, existing);
        if (wantedMembers === undefined) continue;
        if (existingMembers === undefined) {
            throw new Error(`${name} in base.ts is neither an interface nor an object type: add ${wantedMembers.map(m => memberName(ts, m)).join(', ')} to it by hand`);
        }
        const have = new Set(existingMembers.map(m => memberName(ts, m)));
        const missing = wantedMembers.filter(m => !have.has(memberName(ts, m)));
        if (missing.length === 0) continue;
        insertions.push(membersInsertion(ts, existing, app, missing.map(m => statementText(m, ours, ts))));
        added.push(...missing.map(m => `${name}.${memberName(ts, m)}`));
    }
    if (appended.length > 0) {
        const ending = current.length === 0 || current.endsWith('\n') ? '' : '\n';
        const gap = current.trim() === '' ? '' : '\n';
        insertions.push({ at: current.length, replace: 0, text: `${ending}${gap}${appended.join('\n\n')}\n` });
    }
    let text = current;
    for (const { at, replace, text: inserted } of insertions.sort((a, b) => b.at - a.at)) {
        text = text.slice(0, at) + inserted + text.slice(at + replace);
    }
    return { text, added };
}

function declarationsOf(ts: typeof TS, file: TS.SourceFile): Map<string, Declaration> {
    const found = new Map<string, Declaration>();
    for (const statement of file.statements) {
        if ((ts.isInterfaceDeclaration(statement) || ts.isTypeAliasDeclaration(statement)) && !found.has(statement.name.text)) {
            found.set(statement.name.text, statement);
        }
    }
    return found;
}

function membersOf(ts: typeof TS, declaration: Declaration): readonly TS.TypeElement[] | undefined {
    if (ts.isInterfaceDeclaration(declaration)) return declaration.members;
    return ts.isTypeLiteralNode(declaration.type) ? declaration.type.members : undefined;
}

function memberName(ts: typeof TS, member: TS.TypeElement): string {
    const name = member.name;
    if (name === undefined) return member.getText();
    return ts.isIdentifier(name) || ts.isStringLiteral(name) ? name.text : name.getText();
}

/**
 * A node's text with the comment right above it (its JSDoc), from the start of that line; a
 * comment separated by a blank line (a file header) belongs to the file, not to the node.
 */
function statementText(node: TS.Node, file: TS.SourceFile, ts: typeof TS): string {
    const text = file.text;
    let start = node.getStart(file);
    const comment = (ts.getLeadingCommentRanges(text, node.getFullStart()) ?? []).at(-1);
    if (comment !== undefined && !/\n[ \t]*\n/.test(text.slice(comment.end, start))) start = comment.pos;
    return text.slice(text.lastIndexOf('\n', start - 1) + 1, node.getEnd());
}

/** Lines re-indented from the template's indentation to the app's. */
function reindent(text: string, indent: string): string {
    const lines = text.split('\n');
    const common = Math.min(...lines.filter(l => l.trim() !== '').map(l => /^\s*/.exec(l)![0].length));
    return lines.map(l => (l.trim() === '' ? '' : indent + l.slice(common))).join('\n');
}

function lineIndent(text: string, position: number): string {
    const lineStart = text.lastIndexOf('\n', position - 1) + 1;
    return /^[ \t]*/.exec(text.slice(lineStart))![0];
}

/**
 * Where new members go: after the last member or comment inside the braces, each on its own line
 * in the app's indentation; a whitespace-only gap before the closing brace collapses to one newline.
 */
function membersInsertion(ts: typeof TS, declaration: Declaration, file: TS.SourceFile, members: string[]): Insertion {
    const text = file.text;
    const body = ts.isInterfaceDeclaration(declaration) ? declaration : declaration.type;
    const close = body.getEnd() - 1;
    const existing = ts.isInterfaceDeclaration(body) ? body.members : (body as TS.TypeLiteralNode).members;
    let anchor = existing.length > 0 ? existing[existing.length - 1]!.getEnd() : text.lastIndexOf('{', existing.pos) + 1;
    // Comments after the last member (on its line or below) stay above the new members.
    const comments = [...ts.getTrailingCommentRanges(text, anchor) ?? [], ...ts.getLeadingCommentRanges(text, anchor) ?? []];
    for (const comment of comments) anchor = Math.max(anchor, comment.end);
    const closeIndent = lineIndent(text, close);
    const indent = existing.length > 0 ? lineIndent(text, existing[0]!.getStart(file)) : `${closeIndent}    `;
    const gap = text.slice(anchor, close);
    const inserted = `\n${members.map(m => reindent(m, indent)).join('\n')}`;
    if (gap.trim() === '') return { at: anchor, replace: gap.length, text: `${inserted}\n${closeIndent}` };
    return { at: anchor, replace: 0, text: inserted };
}
