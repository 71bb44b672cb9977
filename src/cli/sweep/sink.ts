// Collects a sweep's output text as UTF-8 in pieces of 1 MB and hands each full piece to a sink (or keeps them).

/**
 * Collects many short strings as UTF-8 in 1 MB buffers: kept (`done()` returns them), or, with a
 * `sink`, handed to it whenever one is full and then reused, so that a large output never sits in
 * memory (and fresh memory, a page fault per 4 kB, is not touched per row).
 */
export class ByteChunks {
  private static readonly SIZE = 1 << 20;
  /** Short texts are joined up to this length before they are encoded: one Buffer.write per row costs more than the row. */
  private static readonly TEXT = 1 << 12;
  private readonly chunks: Buffer[] = [];
  private buffer = Buffer.allocUnsafe(ByteChunks.SIZE);
  private used = 0;
  private pending = '';

  /** `sink` gets each full piece, valid only during the call (the buffer is then reused). */
  constructor(private readonly sink?: (bytes: Uint8Array) => void) {}

  /** Appends text (UTF-8). */
  add(text: string): void {
    this.pending += text;
    if (this.pending.length >= ByteChunks.TEXT) this.encodePending();
  }

  /** Appends bytes (already UTF-8). */
  addBytes(bytes: Uint8Array): void {
    this.encodePending();
    if (this.used + bytes.length > this.buffer.length) {
      this.flush();
      if (bytes.length > this.buffer.length) {
        this.emit(Buffer.from(bytes));
        return;
      }
    }
    this.buffer.set(bytes, this.used);
    this.used += bytes.length;
  }

  /** Returns the bytes kept, in order (none with a sink: all went to it). */
  done(): Buffer[] {
    this.encodePending();
    this.flush();
    return this.chunks;
  }

  private encodePending(): void {
    if (this.pending === '') return;
    const text = this.pending;
    this.pending = '';
    const most = text.length * 3;
    if (this.used + most > this.buffer.length) {
      this.flush();
      if (most > this.buffer.length) {
        this.emit(Buffer.from(text, 'utf8'));
        return;
      }
    }
    this.used += this.buffer.write(text, this.used, 'utf8');
  }

  private emit(bytes: Buffer): void {
    if (this.sink) this.sink(bytes);
    else this.chunks.push(bytes);
  }

  private flush(): void {
    if (this.used === 0) return;
    if (this.sink) this.sink(this.buffer.subarray(0, this.used));
    else {
      this.chunks.push(this.buffer.subarray(0, this.used));
      this.buffer = Buffer.allocUnsafe(ByteChunks.SIZE);
    }
    this.used = 0;
  }
}
