// The document limits: depth, aliases, tokens and the field count after fragment expansion.
import { GraphQLError, Kind, type ASTVisitor, type FragmentDefinitionNode, type SelectionSetNode, type ValidationContext, type ValidationRule } from 'graphql'

/** Marks a fragment whose count is being worked out: a spread of it from inside is a cycle. */
const IN_PROGRESS = -1

/**
 * How many fields executing `selectionSet` visits once every fragment is expanded in place, as
 * an executor (graphql-js, or graphql-jit while it compiles) does: each field counts one plus its
 * own selections, a spread counts what its fragment counts, every time it is spread. Each
 * fragment is counted once and remembered in `counts`, so the work is linear in the document
 * even when the answer is 10^N. A spread of an unknown fragment, or one that closes a cycle,
 * counts nothing: graphql's KnownFragmentNames and NoFragmentCycles refuse those documents.
 */
export function countFields (
  selectionSet: SelectionSetNode,
  fragment: (name: string) => FragmentDefinitionNode | null | undefined,
  counts = new Map<string, number>()
): number {
  let total = 0
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      total += 1 + (selection.selectionSet === undefined ? 0 : countFields(selection.selectionSet, fragment, counts))
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      total += countFields(selection.selectionSet, fragment, counts)
    } else {
      const name = selection.name.value
      let count = counts.get(name)
      if (count === undefined) {
        const definition = fragment(name)
        counts.set(name, IN_PROGRESS)
        count = definition == null ? 0 : countFields(definition.selectionSet, fragment, counts)
        counts.set(name, count)
      }
      total += count === IN_PROGRESS ? 0 : count
    }
  }
  return total
}

/**
 * A validation rule that refuses an operation which would visit more than `maxFields` fields
 * once its fragments are expanded. Depth, alias and token limits all pass a document whose
 * fragments each spread the previous one ten times; this bounds the work of any document before
 * an executor (or a JIT compiler, which expands every spread again) sees it.
 */
export function maxFieldsRule (maxFields: number): ValidationRule {
  return (context: ValidationContext): ASTVisitor => {
    const counts = new Map<string, number>()
    const fragment = (name: string) => context.getFragment(name)
    return {
      OperationDefinition (operation) {
        const count = countFields(operation.selectionSet, fragment, counts)
        if (count > maxFields) {
          const found = Number.isSafeInteger(count) ? String(count) : `more than ${Number.MAX_SAFE_INTEGER}`
          context.reportError(new GraphQLError(`Query field limit of ${maxFields} exceeded, found ${found}.`, { nodes: operation }))
        }
        return false
      }
    }
  }
}
