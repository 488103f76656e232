// Text that every engine stores and reads back as given. Two kinds of JavaScript string are not:
// a NUL character, which PostgreSQL refuses in text and jsonb, and a lone surrogate, which is
// not Unicode at all, so no UTF-8 encoding holds it: drivers write a replacement character or
// bytes that read back as other text.

// In a `u` regular expression a surrogate pair is one code point, so only lone surrogates match.
const LONE_SURROGATE = /\p{Cs}/u;

export function hasLoneSurrogate(text: string): boolean {
  return LONE_SURROGATE.test(text);
}

// What a reader can see: a character that is not white space, a control or format character,
// a separator, a mark on its own, or one that renders as nothing (zero-width space, joiners,
// variation selectors, the Hangul filler and the other default-ignorable code points).
const VISIBLE = /[^\p{White_Space}\p{Default_Ignorable_Code_Point}\p{C}\p{Z}\p{M}]/u;

/** Whether the text shows at least one character: a name of one zero-width space does not. */
export function hasVisibleCharacter(text: string): boolean {
  return VISIBLE.test(text);
}

export function isStorableText(text: string): boolean {
  return !text.includes("\u0000") && !hasLoneSurrogate(text);
}

// JSON.stringify writes both as escapes: \u0000, and \udXXX for a lone surrogate. An escape is
// one when an even number of backslashes precedes it (each pair being a backslash of the text).
const UNSTORABLE_ESCAPE = /(?<!\\)(?:\\\\)*\\u(?:0000|d[89a-f][0-9a-f]{2})/;

/** Whether JSON text, as JSON.stringify writes it, holds no string or key that is unstorable text. */
export function isStorableJson(json: string): boolean {
  return !UNSTORABLE_ESCAPE.test(json);
}
