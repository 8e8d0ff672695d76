package org.lra.data.read;

/**
 * TensorFlow's {@code tf.image.rgb_to_grayscale} on uint8 images, step by step in float32 as TF
 * computes it, so that every CIFAR-10 pixel matches the LRA Image task exactly:
 *
 * <pre>
 *   x   = float32(v) * float32(1/255)                      convert_image_dtype uint8 -> float32
 *   y   = x_r * 0.2989f + x_g * 0.5870f + x_b * 0.1140f    tensordot with the luma weights, in this order
 *   out = (int) (y * 255.5f)                                convert_image_dtype float32 -> uint8 (scale by max+0.5, truncate)
 * </pre>
 *
 * Java float arithmetic is IEEE single precision with no fused multiply-add, which matches TF's CPU
 * kernel for a three-term dot product. A naive double-precision formula differs for a few inputs,
 * which {@code RgbToGrayTest} pins down.
 */
public final class RgbToGray {
    /** Recorded in the Image cache key; change it if this rule ever changes. */
    public static final String RULE = "tf.image.rgb_to_grayscale-float32(0.2989,0.5870,0.1140)x255.5-trunc";
    private static final float TO_UNIT = (float) (1.0 / 255);

    private RgbToGray() {
    }

    public static int gray(int r, int g, int b) {
        float xr = r * TO_UNIT;
        float xg = g * TO_UNIT;
        float xb = b * TO_UNIT;
        float y = xr * 0.2989f + xg * 0.5870f + xb * 0.1140f;
        return (int) (y * 255.5f);
    }
}
