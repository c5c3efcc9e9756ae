import type { ReceivedActivity } from '../../helpers/fake-bot-connector';

/** One row of a delivered alert card: who, what they are now, and what they were. */
export interface AlertCardRow {
  readonly targetId: string;
  readonly name: string;
  readonly now: string;
  readonly previous: string;
}

type Node = Record<string, unknown>;

function children(node: unknown): unknown[] {
  if (Array.isArray(node)) return node;
  if (typeof node !== 'object' || node === null) return [];
  return Object.values(node as Node);
}

function find(node: unknown, test: (n: Node) => boolean): Node | undefined {
  if (typeof node === 'object' && node !== null && !Array.isArray(node) && test(node as Node))
    return node as Node;
  for (const child of children(node)) {
    const found = find(child, test);
    if (found) return found;
  }
  return undefined;
}

function rowOf(container: Node): AlertCardRow | undefined {
  const rich = find(container, (n) => n.type === 'RichTextBlock');
  const was = find(container, (n) => typeof n.text === 'string' && n.text.startsWith('Was '));
  const data = find(container, (n) => n.type === 'Action.Execute')?.data as Node | undefined;
  const inlines = (rich?.inlines ?? []) as Array<{ text: string }>;
  const previous = /^Was (.*) · /.exec(String(was?.text ?? ''))?.[1];
  if (inlines.length < 3 || previous === undefined || typeof data?.targetId !== 'string')
    return undefined;
  return {
    targetId: data.targetId,
    name: inlines[0]?.text ?? '',
    now: inlines[2]?.text ?? '',
    previous,
  };
}

/** The rows of an alert card activity (empty for any other activity). */
export function alertCardRows(activity: Record<string, unknown>): AlertCardRow[] {
  const attachments = (activity.attachments ?? []) as Array<{ content?: { body?: unknown } }>;
  const body = attachments[0]?.content?.body;
  if (!Array.isArray(body)) return [];
  return body
    .filter((item): item is Node => (item as Node)?.type === 'Container')
    .map(rowOf)
    .filter((row): row is AlertCardRow => row !== undefined);
}

/** The alert cards delivered (2xx) to one conversation, in order, as rows. */
export function deliveredCards(
  received: readonly ReceivedActivity[],
  conversationId: string,
): AlertCardRow[][] {
  return received
    .filter((r) => r.conversationId === conversationId && r.status < 300)
    .map((r) => alertCardRows(r.activity))
    .filter((rows) => rows.length > 0);
}
