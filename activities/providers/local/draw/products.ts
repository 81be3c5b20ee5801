import type { ProductKind } from '../parse-prompt';
import { drawBag } from './bag';
import { drawBottle } from './bottle';
import { drawBox } from './box';
import { drawJar, drawLipstick, drawMug } from './cylinders';
import { drawHeadphones } from './headphones';
import { drawPhone } from './phone';
import { drawShoe } from './shoe';
import type { Drawer } from './svg';
import { drawWatch } from './watch';

/** Which drawer paints which product kind. */
const DRAWERS: Record<ProductKind, Drawer> = {
  shoe: drawShoe,
  bottle: drawBottle,
  watch: drawWatch,
  headphones: drawHeadphones,
  bag: drawBag,
  mug: drawMug,
  phone: drawPhone,
  lipstick: drawLipstick,
  jar: drawJar,
  box: drawBox,
};

export function drawerFor(kind: ProductKind): Drawer {
  return DRAWERS[kind];
}
