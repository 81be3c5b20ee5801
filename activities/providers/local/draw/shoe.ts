import { darken, lighten, luminance, mix } from '../colour';
import type { Drawer, Drawing, Paint } from './svg';

/**
 * A running/tennis sneaker: white midsole, darker outsole, coloured upper with a sweeping side
 * stripe, laces and a heel tab. Side view points the toe to the right.
 */

function trims(paint: Paint) {
  // Light uppers get a deeper stripe, dark uppers a light one, so the stripe always reads.
  const stripe =
    luminance(paint.base) > 0.45 ? darken(paint.base, 0.45) : lighten(paint.base, 0.75);
  const sole = '#f4f2ee';
  const outsole = luminance(paint.base) > 0.6 ? '#9a8f86' : darken(paint.base, 0.55);
  return { stripe, sole, outsole, lace: lighten(paint.base, 0.85) };
}

function side(paint: Paint): Drawing {
  const { defs } = paint;
  const t = trims(paint);
  const upperD =
    'M70 335 C48 265 52 185 92 140 L150 128 C200 150 270 168 352 150 L430 100 C452 88 474 96 482 112 L560 188 C640 232 760 250 860 268 C940 282 978 310 980 345 L980 352 Z';
  const collar = 'M150 128 C200 150 270 168 352 150 L340 176 C270 192 200 176 156 152 Z';
  const stripeD = 'M140 318 C300 312 450 272 600 200 C540 256 420 300 170 340 Z';
  const clip = defs.clip(`<path d="${upperD}"/>`);
  const midsole =
    'M58 318 C60 345 62 372 80 384 L880 386 C952 384 990 362 996 330 C990 322 978 318 968 320 C940 352 900 356 860 356 L96 350 C80 344 72 332 70 318 Z';
  const outsole =
    'M78 380 L880 382 C950 380 988 362 996 336 L1000 346 C994 390 950 412 880 414 L96 414 C70 414 60 398 64 382 Z';
  const laceLine: Array<[number, number]> = [
    [445, 122],
    [472, 146],
    [500, 166],
    [528, 186],
    [556, 204],
  ];
  const laces = laceLine
    .map(([x, y], i) => {
      const next = laceLine[i + 1];
      const cross = next
        ? `<path d="M${x - 18} ${y - 14}L${next[0] + 16} ${next[1] - 4}M${x + 16} ${y - 16}L${next[0] - 18} ${next[1] - 2}" stroke="${t.lace}" stroke-width="9" stroke-linecap="round"/>`
        : '';
      return `<circle cx="${x}" cy="${y}" r="6" fill="${darken(paint.base, 0.4)}"/>${cross}`;
    })
    .join('');
  const svg = [
    `<path d="${upperD}" fill="${paint.body(paint.base, true)}"/>`,
    paint.texture(`<path d="${upperD}"/>`, 1.2),
    `<path d="${collar}" fill="${darken(paint.base, 0.55)}"/>`,
    `<g clip-path="${clip}"><path d="M860 260 C940 282 990 310 990 345 L820 345 C840 320 850 290 860 260 Z" fill="${lighten(paint.base, 0.12)}" opacity="0.8"/>`,
    `<path d="${stripeD}" fill="${t.stripe}"/></g>`,
    paint.stitch('M170 330 C330 318 480 270 620 190', 3),
    paint.stitch('M860 280 C846 300 836 320 830 344', 3),
    `<path d="M62 150 C50 200 52 270 70 330 L108 330 C92 270 92 200 104 146 Z" fill="${darken(paint.base, 0.18)}"/>`,
    `<rect x="52" y="118" width="46" height="60" rx="14" fill="${t.stripe}" transform="rotate(-12 75 148)"/>`,
    laces,
    `<path d="M430 100 C452 88 474 96 482 112 L470 124 C452 110 440 108 430 112 Z" fill="${lighten(paint.base, 0.2)}"/>`,
    `<path d="${outsole}" fill="${t.outsole}"/>`,
    `<path d="${midsole}" fill="${paint.defs.linear(
      [
        { offset: 0, color: '#ffffff' },
        { offset: 1, color: mix(t.sole, '#c9c4bc', 0.5) },
      ],
      0,
      0,
      0,
      1,
    )}"/>`,
    `<path d="M120 368 L860 370" stroke="${darken(t.sole, 0.12)}" stroke-width="3" opacity="0.7"/>`,
    paint.streak(300, 186, 420, 18, 0.8),
    `<path d="M700 246 C800 262 900 276 950 300" stroke="#ffffff" stroke-width="6" fill="none" opacity="${(paint.finish.specular * 0.8).toFixed(2)}" stroke-linecap="round"/>`,
  ].join('');
  return {
    svg,
    width: 1000,
    height: 416,
    focus: {
      laces: { x: 520, y: 200 },
      stripe: { x: 470, y: 260 },
      sole: { x: 820, y: 370 },
      heel: { x: 110, y: 300 },
    },
  };
}

function front(paint: Paint): Drawing {
  const t = trims(paint);
  const quarters = 'M64 340 C62 236 90 128 112 96 C150 78 250 78 288 96 C310 128 338 236 336 340 Z';
  const tongue = 'M158 46 C162 18 238 18 242 46 L254 262 L146 262 Z';
  const toe = 'M34 374 C30 306 100 256 200 252 C300 256 370 306 366 374 Z';
  const laces = [0, 1, 2, 3, 4]
    .map((i) => {
      const y = 104 + i * 32;
      const half = 34 + i * 9;
      return `<path d="M${200 - half} ${y}L${200 + half} ${y + 22}M${200 + half} ${y}L${200 - half} ${y + 22}" stroke="${t.lace}" stroke-width="9" stroke-linecap="round"/>`;
    })
    .join('');
  const svg = [
    `<path d="${quarters}" fill="${paint.body(darken(paint.base, 0.06))}"/>`,
    paint.texture(`<path d="${quarters}"/>`, 1.2),
    `<ellipse cx="200" cy="94" rx="86" ry="20" fill="${darken(paint.base, 0.6)}"/>`,
    `<path d="${tongue}" fill="${paint.body(lighten(paint.base, 0.1))}"/>`,
    laces,
    `<path d="M70 250 C90 200 110 160 120 130" stroke="${t.stripe}" stroke-width="14" fill="none" stroke-linecap="round"/>`,
    `<path d="M330 250 C310 200 290 160 280 130" stroke="${t.stripe}" stroke-width="14" fill="none" stroke-linecap="round"/>`,
    `<path d="${toe}" fill="${paint.body()}"/>`,
    paint.texture(`<path d="${toe}"/>`, 1.2),
    `<path d="M70 330 C100 290 300 290 330 330" stroke="${lighten(paint.base, 0.25)}" stroke-width="8" fill="none" opacity="0.8"/>`,
    paint.streak(130, 270, 140, 14, 0.8),
    `<path d="M20 360 C20 346 380 346 380 360 L384 392 C384 404 16 404 16 392 Z" fill="${t.sole}"/>`,
    `<path d="M16 392 C16 404 384 404 384 392 L386 410 C386 420 14 420 14 410 Z" fill="${t.outsole}"/>`,
  ].join('');
  return {
    svg,
    width: 400,
    height: 418,
    focus: {
      laces: { x: 200, y: 170 },
      stripe: { x: 200, y: 290 },
      sole: { x: 200, y: 390 },
      heel: { x: 200, y: 100 },
    },
  };
}

function back(paint: Paint): Drawing {
  const t = trims(paint);
  const heel = 'M56 372 C42 220 88 98 180 88 C272 98 318 220 304 372 Z';
  const svg = [
    `<path d="${heel}" fill="${paint.body()}"/>`,
    paint.texture(`<path d="${heel}"/>`, 1.2),
    `<ellipse cx="180" cy="110" rx="92" ry="26" fill="${darken(paint.base, 0.55)}"/>`,
    `<path d="M150 96 L210 96 L214 300 C200 312 160 312 146 300 Z" fill="${t.stripe}"/>`,
    `<rect x="160" y="52" width="40" height="70" rx="14" fill="${t.stripe}"/>`,
    `<circle cx="180" cy="250" r="14" fill="${t.lace}" opacity="0.9"/>`,
    paint.stitch('M70 330 C62 230 100 130 180 118', 3),
    paint.streak(92, 150, 26, 180, 0.8),
    `<path d="M40 356 C40 340 320 340 320 356 L324 392 C324 404 36 404 36 392 Z" fill="${t.sole}"/>`,
    `<path d="M36 392 C36 404 324 404 324 392 L326 410 C326 420 34 420 34 410 Z" fill="${t.outsole}"/>`,
  ].join('');
  return {
    svg,
    width: 360,
    height: 418,
    focus: {
      laces: { x: 180, y: 110 },
      stripe: { x: 180, y: 200 },
      sole: { x: 180, y: 390 },
      heel: { x: 180, y: 90 },
    },
  };
}

function top(paint: Paint): Drawing {
  const t = trims(paint);
  const sole =
    'M40 200 C40 110 120 70 260 72 C420 76 560 90 720 84 C880 78 990 120 990 200 C990 280 880 322 720 316 C560 310 420 324 260 328 C120 330 40 290 40 200 Z';
  const upper =
    'M62 200 C62 124 130 96 260 98 C420 102 560 112 720 108 C860 104 960 140 962 200 C960 260 860 296 720 292 C560 288 420 298 260 302 C130 304 62 276 62 200 Z';
  const laces = [0, 1, 2, 3, 4, 5]
    .map((i) => {
      const x = 330 + i * 52;
      return `<path d="M${x} 168L${x + 30} 232M${x + 30} 168L${x} 232" stroke="${t.lace}" stroke-width="9" stroke-linecap="round"/>`;
    })
    .join('');
  const svg = [
    `<path d="${sole}" fill="${t.sole}"/>`,
    `<path d="${upper}" fill="${paint.body(paint.base, true)}"/>`,
    paint.texture(`<path d="${upper}"/>`, 1.2),
    `<path d="M300 150 C420 140 600 150 680 170 L680 230 C600 250 420 260 300 250 Z" fill="${lighten(paint.base, 0.1)}"/>`,
    laces,
    `<ellipse cx="180" cy="200" rx="110" ry="70" fill="${darken(paint.base, 0.55)}"/>`,
    `<ellipse cx="190" cy="200" rx="84" ry="50" fill="${darken(paint.base, 0.7)}"/>`,
    `<path d="M300 290 C460 292 620 282 760 280" stroke="${t.stripe}" stroke-width="16" fill="none" stroke-linecap="round"/>`,
    paint.streak(400, 118, 380, 16, 0.7),
  ].join('');
  return {
    svg,
    width: 1000,
    height: 340,
    focus: {
      laces: { x: 480, y: 200 },
      stripe: { x: 560, y: 285 },
      sole: { x: 900, y: 200 },
      heel: { x: 180, y: 200 },
    },
  };
}

export const drawShoe: Drawer = (view, paint) => {
  if (view === 'front') return front(paint);
  if (view === 'back') return back(paint);
  if (view === 'top') return top(paint);
  return side(paint);
};
