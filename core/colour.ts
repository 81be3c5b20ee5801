/** A colour as `#rrggbb` (either case): the one rule for colours from people, planners and the render. */
export const HEX_COLOUR = /^#([0-9a-fA-F]{6})$/;

export function isHexColour(value: string): boolean {
  return HEX_COLOUR.test(value);
}
