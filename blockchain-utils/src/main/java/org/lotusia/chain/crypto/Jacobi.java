package org.lotusia.chain.crypto;

import java.math.BigInteger;

/** Jacobi symbol computation (binary algorithm with quadratic reciprocity). Stateless, thread-safe. */
final class Jacobi {

    private Jacobi() {
    }

    /**
     * Returns the Jacobi symbol (a / n) for odd positive n: 1, -1, or 0 when gcd(a, n) != 1.
     *
     * @throws IllegalArgumentException if n is not odd and positive
     */
    static int symbol(BigInteger a, BigInteger n) {
        if (n.signum() <= 0 || !n.testBit(0)) {
            throw new IllegalArgumentException("modulus must be odd and positive");
        }
        BigInteger x = a.mod(n);
        BigInteger m = n;
        int result = 1;
        while (x.signum() != 0) {
            int twos = x.getLowestSetBit();
            if (twos > 0) {
                x = x.shiftRight(twos);
                // (2/m) = -1 iff m = 3 or 5 (mod 8); only odd powers of two matter.
                int mMod8 = m.intValue() & 7;
                if ((twos & 1) == 1 && (mMod8 == 3 || mMod8 == 5)) {
                    result = -result;
                }
            }
            // Reciprocity: flip if both are 3 (mod 4).
            if ((x.intValue() & 3) == 3 && (m.intValue() & 3) == 3) {
                result = -result;
            }
            BigInteger t = m.mod(x);
            m = x;
            x = t;
        }
        return m.equals(BigInteger.ONE) ? result : 0;
    }
}
