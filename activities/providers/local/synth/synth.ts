import type { MusicGenre } from '../../../../core/options';
import { createRandom, pick, subSeed } from '../random';
import { GENRES } from './genres';
import type { GenreSpec } from './genres';

/**
 * A small additive/subtractive synthesiser: drums, bass, pads and an arpeggio rendered straight
 * into stereo float buffers. Deterministic per seed (key, progression, humanised velocities).
 */

export interface SynthResult {
  left: Float32Array;
  right: Float32Array;
  sampleRate: number;
  bpm: number;
}

const MAJOR = [0, 2, 4, 5, 7, 9, 11];
const MINOR = [0, 2, 3, 5, 7, 8, 10];
const TAU = Math.PI * 2;

const hz = (midi: number) => 440 * 2 ** ((midi - 69) / 12);

class Mixer {
  constructor(
    readonly left: Float32Array,
    readonly right: Float32Array,
    readonly sr: number,
  ) {}

  /** Renders `length` seconds of `voice(t)` from `start`, panned -1..1. */
  add(start: number, length: number, pan: number, gain: number, voice: (t: number) => number) {
    const from = Math.max(0, Math.round(start * this.sr));
    const to = Math.min(this.left.length, Math.round((start + length) * this.sr));
    const gl = gain * Math.cos(((pan + 1) * Math.PI) / 4);
    const gr = gain * Math.sin(((pan + 1) * Math.PI) / 4);
    for (let i = from; i < to; i++) {
      const v = voice((i - from) / this.sr);
      this.left[i] = (this.left[i] ?? 0) + v * gl;
      this.right[i] = (this.right[i] ?? 0) + v * gr;
    }
  }
}

function noiseSource(seed: number): () => number {
  const random = createRandom(seed);
  return () => random() * 2 - 1;
}

function kick(t: number): number {
  const phase = TAU * (48 * t + (110 / 28) * (1 - Math.exp(-28 * t)));
  return Math.sin(phase) * Math.exp(-7 * t) + (t < 0.004 ? 0.4 * (1 - t / 0.004) : 0);
}

/** Oscillator shapes with a crude lowpass by mixing fewer harmonics for darker timbres. */
function osc(shape: 'saw' | 'square' | 'sine', freq: number, t: number): number {
  const p = (freq * t) % 1;
  if (shape === 'sine') return Math.sin(TAU * p);
  if (shape === 'square') return p < 0.5 ? 0.6 : -0.6;
  return 2 * p - 1;
}

function chordNotes(spec: GenreSpec, root: number, degree: number): number[] {
  const scale = spec.minor ? MINOR : MAJOR;
  return [0, 2, 4].map((offset) => {
    const d = degree + offset;
    return root + (scale[d % 7] ?? 0) + 12 * Math.floor(d / 7);
  });
}

export function synthesize(input: {
  genre: MusicGenre;
  seed: number;
  durationSeconds: number;
  sampleRate?: number;
}): SynthResult {
  const sr = input.sampleRate ?? 44100;
  const spec = GENRES[input.genre];
  const random = createRandom(subSeed(input.seed, `music:${input.genre}`));
  const noise = noiseSource(subSeed(input.seed, 'noise'));
  const length = Math.round(input.durationSeconds * sr);
  const mix = new Mixer(new Float32Array(length), new Float32Array(length), sr);
  const step = 60 / spec.bpm / 4;
  const bar = step * 16;
  const root = 40 + Math.floor(random() * 12);
  const progression = pick(random, spec.progressions);
  const bars = Math.ceil(input.durationSeconds / bar) + 1;

  for (let b = 0; b < bars; b++) {
    const barStart = b * bar;
    const chord = chordNotes(spec, root, progression[b % progression.length] ?? 0);
    const bassNote = chord[0] ?? root;

    for (let s = 0; s < 16; s++) {
      const t0 = barStart + s * step;
      const velocity = 0.85 + random() * 0.15;
      if (spec.kick[s]) mix.add(t0, 0.45, 0, 0.9 * velocity, kick);
      if (spec.snare[s]) {
        mix.add(t0, 0.3, 0.05, 0.45 * velocity, (t) => {
          const body = Math.sin(TAU * 185 * t) * Math.exp(-30 * t) * 0.5;
          return (noise() * 0.8 + body) * Math.exp(-16 * t);
        });
      }
      if (spec.hat[s]) {
        let last = 0;
        const accent = s % 4 === 2 ? 1 : 0.7;
        mix.add(t0, 0.08, 0.35, spec.hatLevel * velocity * accent, (t) => {
          const n = noise();
          const hp = n - last;
          last = n;
          return hp * Math.exp(-55 * t);
        });
      }
    }

    spec.bassSteps.forEach((s, i) => {
      const next = spec.bassSteps[i + 1] ?? 16;
      const dur = (next - s) * step * 0.92;
      const f = hz(bassNote);
      mix.add(barStart + s * step, dur, 0, 0.32, (t) => {
        const env = Math.min(1, t / 0.006) * Math.min(1, (dur - t) / 0.03);
        if (spec.bass === 'pluck') return Math.sin(TAU * f * t) * Math.exp(-5 * t) * 1.3;
        if (spec.bass === 'sine') return Math.sin(TAU * f * t) * env * 1.2;
        const shaped = osc(spec.bass, f, t) * 0.45 + Math.sin(TAU * f * t) * 0.6;
        return shaped * env;
      });
    });

    chord.forEach((note, i) => {
      const f = hz(note + 12);
      const attack = spec.pad === 'strings' ? 0.5 : 0.15;
      mix.add(barStart, bar + 0.3, i === 0 ? -0.4 : i === 1 ? 0.4 : 0, spec.padLevel, (t) => {
        const env = Math.min(1, t / attack) * Math.min(1, (bar + 0.3 - t) / 0.3);
        const vibrato = spec.pad === 'strings' ? 1 + 0.003 * Math.sin(TAU * 5 * t) : 1;
        const shape = spec.pad === 'sine' ? 'sine' : 'saw';
        const a = osc(shape, f * vibrato * 1.003, t);
        const c = osc(shape, f * vibrato * 0.997, t);
        const soft = shape === 'saw' ? 0.35 : 1;
        return ((a + c) * 0.5 * soft + Math.sin(TAU * f * t) * 0.5) * env;
      });
    });

    if (spec.arpRate > 0) {
      const notes = [...chord.map((x) => x + 24), (chord[0] ?? root) + 36];
      const count = 4 * spec.arpRate;
      const stepLen = bar / count;
      for (let k = 0; k < count; k++) {
        const note = notes[k % notes.length] ?? root;
        const f = hz(note);
        const decay = spec.arp === 'bell' ? 3 : 9;
        mix.add(barStart + k * stepLen, stepLen * 2.5, k % 2 ? 0.5 : -0.5, 0.09, (t) => {
          const env = Math.min(1, t / 0.004) * Math.exp(-decay * t);
          if (spec.arp === 'bell')
            return (Math.sin(TAU * f * t) + 0.3 * Math.sin(TAU * f * 2.76 * t)) * env;
          if (spec.arp === 'square') return osc('square', f, t) * env * 0.7;
          return (Math.sin(TAU * f * t) + 0.4 * Math.sin(TAU * f * 2 * t)) * env;
        });
      }
    }
  }

  master(mix.left, mix.right, sr);
  return { left: mix.left, right: mix.right, sampleRate: sr, bpm: spec.bpm };
}

/** Short fade in/out, then normalise to about -1 dBFS with a gentle soft clip. */
function master(left: Float32Array, right: Float32Array, sr: number) {
  const n = left.length;
  const fadeIn = Math.round(0.02 * sr);
  const fadeOut = Math.min(n, Math.round(0.8 * sr));
  let peak = 1e-9;
  for (let i = 0; i < n; i++) {
    let g = 1;
    if (i < fadeIn) g = i / fadeIn;
    if (i > n - fadeOut) g = Math.min(g, (n - i) / fadeOut);
    const l = Math.tanh((left[i] ?? 0) * g);
    const r = Math.tanh((right[i] ?? 0) * g);
    left[i] = l;
    right[i] = r;
    peak = Math.max(peak, Math.abs(l), Math.abs(r));
  }
  const norm = 0.89 / peak;
  for (let i = 0; i < n; i++) {
    left[i] = (left[i] ?? 0) * norm;
    right[i] = (right[i] ?? 0) * norm;
  }
}
