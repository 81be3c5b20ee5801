import type { MusicGenre } from '../../../../core/options';

/** Per-genre arrangement: tempo, which parts play, and the timbre of bass and pads. */
export interface GenreSpec {
  bpm: number;
  /** 16 steps per bar; 1 = hit. */
  kick: readonly number[];
  snare: readonly number[];
  hat: readonly number[];
  hatLevel: number;
  bass: 'saw' | 'sine' | 'square' | 'pluck';
  /** Bass notes per bar as step offsets. */
  bassSteps: readonly number[];
  pad: 'saw' | 'sine' | 'strings';
  padLevel: number;
  /** Arpeggio/pluck line on 8ths or 16ths; 0 = none. */
  arpRate: 0 | 2 | 4;
  arp: 'pluck' | 'square' | 'bell';
  /** Progression as scale degrees (0-based in a minor or major scale). */
  progressions: ReadonlyArray<readonly number[]>;
  minor: boolean;
}

const FOUR = [1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0];
const BACKBEAT = [0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0];
const OFFBEAT_HATS = [0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0];
const EIGHTH_HATS = [1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0];
const SIXTEENTH_HATS = Array.from({ length: 16 }, () => 1);

export const GENRES: Record<MusicGenre, GenreSpec> = {
  upbeat: {
    bpm: 120,
    kick: FOUR,
    snare: BACKBEAT,
    hat: EIGHTH_HATS,
    hatLevel: 0.22,
    bass: 'square',
    bassSteps: [0, 3, 6, 8, 11, 14],
    pad: 'saw',
    padLevel: 0.1,
    arpRate: 2,
    arp: 'pluck',
    progressions: [
      [0, 4, 5, 3],
      [0, 5, 3, 4],
    ],
    minor: false,
  },
  cinematic: {
    bpm: 90,
    kick: [1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0],
    snare: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0],
    hat: OFFBEAT_HATS,
    hatLevel: 0.08,
    bass: 'sine',
    bassSteps: [0, 8],
    pad: 'strings',
    padLevel: 0.2,
    arpRate: 2,
    arp: 'bell',
    progressions: [
      [0, 5, 2, 6],
      [0, 3, 5, 4],
    ],
    minor: true,
  },
  electronic: {
    bpm: 128,
    kick: FOUR,
    snare: BACKBEAT,
    hat: SIXTEENTH_HATS,
    hatLevel: 0.14,
    bass: 'saw',
    bassSteps: [2, 6, 10, 14],
    pad: 'saw',
    padLevel: 0.09,
    arpRate: 4,
    arp: 'square',
    progressions: [
      [0, 5, 3, 6],
      [0, 6, 5, 6],
    ],
    minor: true,
  },
  ambient: {
    bpm: 70,
    kick: [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
    snare: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
    hat: [0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0],
    hatLevel: 0.05,
    bass: 'sine',
    bassSteps: [0],
    pad: 'sine',
    padLevel: 0.28,
    arpRate: 2,
    arp: 'bell',
    progressions: [
      [0, 3, 0, 4],
      [0, 5, 3, 0],
    ],
    minor: false,
  },
  acoustic: {
    bpm: 100,
    kick: [1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0],
    snare: BACKBEAT,
    hat: EIGHTH_HATS,
    hatLevel: 0.1,
    bass: 'pluck',
    bassSteps: [0, 8, 12],
    pad: 'sine',
    padLevel: 0.06,
    arpRate: 2,
    arp: 'pluck',
    progressions: [
      [0, 4, 5, 3],
      [0, 3, 4, 0],
    ],
    minor: false,
  },
};
