/**
 * The API and the shared schemas name fields as the code does ("productPrompt: Use at least 3
 * characters."); people see the field's label instead ("Product: Use at least 3 characters.").
 */
const LABELS: Record<string, string> = {
  productPrompt: 'Product',
  title: 'Title',
  imageCount: 'Images',
  aspectRatio: 'Aspect ratio',
  durationSeconds: 'Length (seconds)',
  budgetUsd: 'Budget (USD)',
  tier: 'Quality',
  provider: 'Studio',
  productPhotoKey: 'Product photo',
  videoPrompt: 'Describe the video',
  imageIds: 'Images',
  clipIds: 'Clips',
  productName: 'Product name',
  callToAction: 'Call to action',
  tagline: 'Tagline',
  colors: 'Colours',
  primary: 'Primary colour',
  accent: 'Accent colour',
  text: 'Text colour',
  music: 'Music',
  genre: 'Genre',
  prompt: 'Prompt',
  prompts: 'Shot prompt',
  style: 'Style',
  lighting: 'Lighting',
  camera: 'Camera',
  mood: 'Mood',
  grade: 'Colour grade',
  backdrop: 'Backdrop',
  palette: 'Palette',
  email: 'Email',
  password: 'Password',
  name: 'Name',
  currentPassword: 'Current password',
  newPassword: 'New password',
};

/**
 * "productPrompt: Use at least 3 characters." → "Product: Use at least 3 characters.";
 * "style.palette.2: …" → "Palette colour 3: …"; "prompts.0.prompt: …" → "Prompt for shot 1: …".
 * A code path without a label keeps only the message: a code name is never shown. A sentence
 * that merely starts with a word and a colon ("Note: …") is left as it is.
 */
export function withFieldLabels(message: string): string {
  // Schema paths start in lower case (productPrompt, style.palette.2, colors.primary).
  const match = /^([a-z]\w*(?:\.\w+)*): (.+)$/s.exec(message);
  if (!match) return message;
  const [, path, text] = match as unknown as [string, string, string];
  const parts = path.split('.');
  const index = parts.find((p) => /^\d+$/.test(p));
  const named = parts.filter((p) => !/^\d+$/.test(p));
  const number = index === undefined ? undefined : Number(index) + 1;
  let label: string | undefined;
  if (named[0] === 'prompts' && number) label = `Prompt for shot ${number}`;
  else if (named.at(-1) === 'palette' && number) label = `Palette colour ${number}`;
  else {
    const base = LABELS[named.at(-1) ?? ''];
    label = base && number ? `${base} ${number}` : base;
  }
  return label ? `${label}: ${text}` : text;
}
