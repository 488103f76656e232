// The LIKE pattern of a substring search, the same on every engine: the text matches anywhere,
// and its own % _ and \ match only themselves (each engine's statement says ESCAPE '\').
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, "\\$&")}%`;
}
