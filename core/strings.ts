import { z } from 'zod';

/**
 * The one way a string from outside becomes a field: trimmed, length-checked, and free of
 * control characters. A NUL byte cannot be stored by PostgreSQL, and other control characters
 * have no place in a name or a prompt (they hide text in logs and break file names), so they are
 * refused at the edge with VALIDATION_FAILED instead of failing deep inside a write.
 */

// C0 controls, DEL and C1 controls. Multi-line fields keep tab, line feed and carriage return.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
// eslint-disable-next-line no-control-regex
const CONTROL_EXCEPT_LINES = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;

/**
 * Bidirectional formatting characters (embeddings, overrides, isolates, marks). In a name they
 * reorder the text around them wherever it is shown ("Trojan Source"), so names lose them.
 */
const BIDI_CONTROLS = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

export const withoutBidiControls = (value: string) => value.replace(BIDI_CONTROLS, '');

export const CONTROL_CHARACTERS_MESSAGE =
  'Remove the control characters (such as NUL) from this text.';

export function hasControlCharacters(value: string, multiline = false): boolean {
  return (multiline ? CONTROL_EXCEPT_LINES : CONTROL).test(value);
}

export interface TextOptions {
  /** Most characters allowed (after trimming). */
  max: number;
  /** Fewest characters (after trimming); 1 unless given. 0 allows an empty string. */
  min?: number;
  /** Allows line breaks and tabs (prompts typed in a text area). */
  multiline?: boolean;
  /** The message for a value that is too short. */
  required?: string;
  /** Drops bidirectional formatting characters (names: see BIDI_CONTROLS). */
  stripBidi?: boolean;
}

/** A trimmed string without control characters, between min and max characters long. */
export function text({ max, min = 1, multiline = false, required, stripBidi }: TextOptions) {
  return z
    .string()
    .refine((v) => !hasControlCharacters(v, multiline), CONTROL_CHARACTERS_MESSAGE)
    .overwrite((v) => (stripBidi ? withoutBidiControls(v) : v))
    .trim()
    .min(min, required ?? (min === 1 ? 'Fill in this field.' : `Use at least ${min} characters.`))
    .max(max, `Use at most ${max} characters.`);
}

/**
 * An id made by the studio (a session id like `session-<uuid>`, an asset or upload uuid): plain
 * letters, digits, `-` and `_`, so it can never be read as a path or carry a control character.
 */
export const ID_PATTERN = /^[A-Za-z0-9_-]{1,200}$/;
export const id = z.string().regex(ID_PATTERN, 'This is not a valid id.');

/** A UUID as the database and the workflow make them. */
export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
