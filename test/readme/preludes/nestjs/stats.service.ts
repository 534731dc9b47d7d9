// The service the Nest README's quick start leaves to the reader ("not shown").
import { Injectable } from '@nestjs/common';

@Injectable()
export class StatsService {
  #computed = 0;

  compute() {
    this.#computed++;
    return { computed: this.#computed };
  }
}
