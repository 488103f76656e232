// The fields a selection set asks for, as resolvers that look ahead (which columns a page reads,
// whether it reads a page at all) need them: through fragment spreads and inline fragments, and
// whatever their directives, so that an answer covers every branch a document's variables take.
import { type FieldNode, type FragmentDefinitionNode, Kind, type SelectionSetNode } from "graphql";

type Fragments = Readonly<Record<string, FragmentDefinitionNode>>;

/** The fields of a selection set, through fragments and inline fragments, whatever their directives. */
export function fieldsOf(selectionSet: SelectionSetNode | undefined, fragments: Fragments, seen = new Set<string>()) {
  const fields: FieldNode[] = [];
  for (const selection of selectionSet?.selections ?? []) {
    if (selection.kind === Kind.FIELD) fields.push(selection);
    else if (selection.kind === Kind.INLINE_FRAGMENT) fields.push(...fieldsOf(selection.selectionSet, fragments, seen));
    else if (!seen.has(selection.name.value)) {
      // Validation refuses fragment cycles; `seen` only keeps a spread used twice from being walked twice.
      seen.add(selection.name.value);
      fields.push(...fieldsOf(fragments[selection.name.value]?.selectionSet, fragments, seen));
    }
  }
  return fields;
}

/** The fields named `name` of a selection set, as fieldsOf finds them. */
export function subfields(selectionSet: SelectionSetNode | undefined, name: string, fragments: Fragments): FieldNode[] {
  return fieldsOf(selectionSet, fragments).filter((field) => field.name.value === name);
}
