# NetRaven container image: multi-stage build, runs as a non-root user.
FROM rust:1.95-bookworm AS build
RUN apt-get update && apt-get install -y --no-install-recommends cmake pkg-config zlib1g-dev libssl-dev \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN cargo build --release --locked --bin netraven

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --home-dir /var/lib/netraven --create-home netraven
COPY --from=build /src/target/release/netraven /usr/local/bin/netraven
USER netraven
WORKDIR /var/lib/netraven
ENV NETRAVEN_DATA=/var/lib/netraven/data
ENTRYPOINT ["netraven"]
CMD ["serve"]
