package io.qtk.format;

/**
 * Constants of the {@code .qtk} container, version 1.4: the signature, the version and every limit the format
 * names. The normative text is {@code format-spec/qtk-format.md}; each constant here cites the section it
 * implements.
 */
public final class QtkFormat {
    private QtkFormat() {
    }

    /** Length of the signature in bytes. */
    public static final int SIGNATURE_LENGTH = 8;

    private static final byte[] SIGNATURE = {(byte) 0x8A, 'Q', 'T', 'K', 0x0D, 0x0A, 0x1A, 0x0A};

    /** Major version written and read by this implementation; a reader rejects any other major. */
    public static final int VERSION_MAJOR = 1;

    /**
     * Minor version written for a file whose token streams use only coder ids 0..2 (the ids version 1.0 defines); a
     * reader accepts any minor of its major. See {@link #minorVersionFor(int)}.
     */
    public static final int VERSION_MINOR = 0;

    /** Minor version written for a file with a stream of coder id 3 ({@link #CODER_CONTEXT}, defined by 1.1). */
    public static final int VERSION_MINOR_CONTEXT = 1;

    /** Minor version written for a file with a stream of coder id 4 ({@link #CODER_CHANNEL}, defined by 1.2). */
    public static final int VERSION_MINOR_CHANNEL = 2;

    /** Minor version written for a file with a stream of coder id 5 ({@link #CODER_PREDICTION}, defined by 1.3). */
    public static final int VERSION_MINOR_PREDICTION = 3;

    /**
     * Minor version written for a file with a stream of coder id 6 ({@link #CODER_ADAPTIVE_PREDICTION}, defined by
     * 1.4).
     */
    public static final int VERSION_MINOR_ADAPTIVE_PREDICTION = 4;

    /** Offset of the first chunk: signature (8 bytes) plus version (2 bytes). */
    public static final int FIRST_CHUNK_OFFSET = SIGNATURE_LENGTH + 2;

    /** Largest image width or height in pixels: 2^24. */
    public static final int MAX_DIMENSION = 1 << 24;

    /** Largest number of pixels, width * height: 2^31. */
    public static final long MAX_PIXELS = 1L << 31;

    /** Largest data length of any chunk in bytes: 2^30 (1 GiB). */
    public static final int MAX_CHUNK_LENGTH = 1 << 30;

    /** Largest number of chunks in one file, QHDR and QEND included: 2^17. */
    public static final int MAX_CHUNKS = 1 << 17;

    /** Largest number of groups G (grid) or tokens per tile N (global), and so of groups coded and streams. */
    public static final int MAX_GROUPS = 65535;

    /** Largest ICC profile (chunk {@code iCCP}) in bytes: 16 MiB. */
    public static final int MAX_ICC_LENGTH = 16 << 20;

    /** Largest EXIF block (chunk {@code eXIf}) in bytes: 16 MiB. */
    public static final int MAX_EXIF_LENGTH = 16 << 20;

    /** Largest XMP packet (chunk {@code xMPd}) in bytes: 16 MiB. */
    public static final int MAX_XMP_LENGTH = 16 << 20;

    /** Largest comment (chunk {@code cMNt}) in bytes of UTF-8: 1 MiB. */
    public static final int MAX_COMMENT_LENGTH = 1 << 20;

    /** Largest model name length in bytes. */
    public static final int MAX_MODEL_NAME_LENGTH = 64;

    /** Largest model version length in bytes. */
    public static final int MAX_MODEL_VERSION_LENGTH = 32;

    /** Smallest codebook size K. */
    public static final int MIN_CODEBOOK_SIZE = 2;

    /** Largest codebook size K: 2^16. */
    public static final int MAX_CODEBOOK_SIZE = 65536;

    /** Largest codeword dimension d. */
    public static final int MAX_CODEWORD_DIM = 1024;

    /** Largest grid down-sampling factor f and largest global tile side T. */
    public static final int MAX_FACTOR = 65535;

    /** Coder id: raw fixed-width indices (meaning defined by {@code entropy-coding.md}). */
    public static final int CODER_RAW = 0;

    /** Coder id: static model tables. */
    public static final int CODER_STATIC = 1;

    /** Coder id: adaptive model. */
    public static final int CODER_ADAPTIVE = 2;

    /**
     * Coder id 3 (version 1.1): static context tables from the model bundle, chosen per index by the grid
     * neighbours selector (spec section 9.2).
     */
    public static final int CODER_CONTEXT = 3;

    /**
     * Coder id 4 (version 1.2): static channel-context tables from the model bundle, chosen per index by the weights
     * of the previous groups' indices at the same position (spec section 9.2). Unlike ids 0..3 a payload of this
     * coder depends on the decoded indices of earlier groups.
     */
    public static final int CODER_CHANNEL = 4;

    /**
     * Coder id 5 (version 1.3): the residual of an integer linear prediction of each index (from the previous groups
     * at the same position and the same group's causal neighbours), coded with static tables from the model bundle
     * chosen by the coder-4 channel context and the neighbours' prediction errors (spec section 9.2). Like coder 4 a
     * payload depends on the decoded indices of earlier groups.
     */
    public static final int CODER_PREDICTION = 5;

    /**
     * Coder id 6 (version 1.4): coder 5's prediction, symbols and contexts, with each static table replaced by an
     * adaptive model primed with it (spec section 9.2), so the probabilities follow the image. Payloads depend on
     * earlier groups like coder 5's.
     */
    public static final int CODER_ADAPTIVE_PREDICTION = 6;

    /**
     * First coder id of the range 3..15 kept for context models (3 is {@link #CODER_CONTEXT}, 4
     * {@link #CODER_CHANNEL}, 5 {@link #CODER_PREDICTION}, 6 {@link #CODER_ADAPTIVE_PREDICTION}; 7..15 reserved).
     */
    public static final int CODER_CONTEXT_FIRST = 3;

    /** First coder id still reserved (7..15): no version defines them yet. */
    public static final int CODER_RESERVED_FIRST = 7;

    /** Largest coder id a version-1 file may carry; 16..255 are reserved and rejected. */
    public static final int MAX_CODER_ID = 15;

    /**
     * The minor version a writer states for a stream of the given coder (spec section 4): 4 for coder id 6, which
     * version 1.4 defines, 3 for coder id 5 (1.3), 2 for coder id 4 (1.2), 1 for coder id 3 (1.1), else 0. (Ids
     * 7..15 are reserved and not written by a conforming writer; the container still carries them, at minor 0.) A
     * file's minor version is the largest over its streams, so a file without coder 6 is written exactly as by a 1.3
     * writer.
     *
     * @param coderId a coder id, 0..{@value #MAX_CODER_ID}
     * @return the minor version that defines it
     */
    public static int minorVersionFor(int coderId) {
        switch (coderId) {
            case CODER_CONTEXT:
                return VERSION_MINOR_CONTEXT;
            case CODER_CHANNEL:
                return VERSION_MINOR_CHANNEL;
            case CODER_PREDICTION:
                return VERSION_MINOR_PREDICTION;
            case CODER_ADAPTIVE_PREDICTION:
                return VERSION_MINOR_ADAPTIVE_PREDICTION;
            default:
                return VERSION_MINOR;
        }
    }

    /**
     * Returns a copy of the 8-byte signature {@code 8A 51 54 4B 0D 0A 1A 0A} ({@code "\x8AQTK\r\n\x1A\n"}).
     *
     * @return a new array holding the signature
     */
    public static byte[] signature() {
        return SIGNATURE.clone();
    }

    static byte signatureByte(int i) {
        return SIGNATURE[i];
    }
}
