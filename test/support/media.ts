/**
 * The encoder settings of the clips tests make as inputs: H.264 in yuv420p (what models and the
 * studio deliver), at the fastest preset, since these clips only feed the code under test.
 */
export const TEST_CLIP_H264 = ['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p'];
