# A job that mounts the volume made from volume.hcl.
#   nomad job run deploy/nomad/example.nomad.hcl
job "loam-demo" {
  group "db" {
    volume "data" {
      type            = "csi"
      source          = "pgdata"
      access_mode     = "single-node-writer"
      attachment_mode = "file-system"
    }

    task "postgres" {
      driver = "docker"

      config {
        image = "postgres:17"
      }

      env {
        POSTGRES_PASSWORD = "change-me"
      }

      volume_mount {
        volume      = "data"
        destination = "/var/lib/postgresql/data"
      }

      resources {
        cpu    = 200
        memory = 512
      }
    }
  }
}
